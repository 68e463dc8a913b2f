"""`make bench`: regency-scale figures for bantuan-iuran (a benchmark, not a test).

Generates (once, cached in bench/cache/) a regency batch with `bantuan sample`: 157 village files,
20,000 applicants, a registry of 750,000 people, 5,000 enrolled. Then, in one invocation:
- each stage as its own process (wall, CPU, peak RSS, rows/s);
- `bantuan run` end to end, the I/O floor (bench/io_floor.py) and the naive baseline
  (bench/naive.py), interleaved over three rounds, each by its median round, and the ratios;
- the registry scaling series (750k, 3M, 10M people, Parquet) with the same applicants;
- round 2: the villages' answers to round 1's forms (made by `bantuan sample --answers-to`),
  read back through the ledger by `bantuan run` on the round-1 work folder;
- after the decree: the hand-over, the branch's answer, a played year (four monthly bills, the
  leavers, their replacements, the year at a glance), each command timed;
- `bantuan --help` start-up time.
Figures go to the console and to bench/results.json.
"""

from __future__ import annotations

import csv
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "bench" / "cache"
BATCH = CACHE / "regency"
WORK = CACHE / "work"
BIN = Path(sys.executable).parent
BANTUAN = str(BIN / "bantuan")
RUN_DIR = CACHE / "work_run"
PROVINCE = CACHE / "province"
SCALES = (750_000, 3_000_000, 10_000_000)
ROUNDS = 3
console = Console()


def run_child(command: list[str]) -> dict[str, float]:
    """Wall and CPU seconds and peak RSS (MB) of one child process, reaped with wait4 so the
    resource usage is the child's own."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT)
    output = b""
    while chunk := process.stdout.read(65536):
        output += chunk
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if process.returncode not in (0, 1):
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}")
    return {
        "wall_s": round(wall, 3),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "stdout": output.decode(errors="replace"),
    }


def ensure_batch(batch: Path = BATCH, applicants: int = 20_000, registry: int = 750_000,
                 enrolled: int = 5_000) -> None:  # fmt: skip
    if (batch / "truth.csv").exists():
        return
    console.print(f"Generating the {batch.name} batch (once; cached in bench/cache/) ...")
    subprocess.run(
        [BANTUAN, "sample", str(batch), "--seed", "11", "--villages", "157",
         "--applicants", str(applicants), "--registry", str(registry), "--enrolled",
         str(enrolled)],
        check=True, cwd=ROOT, stdout=subprocess.DEVNULL,
    )  # fmt: skip


def scaled_registry(size: int, batch: Path = BATCH, prefix: str = "") -> Path:
    """A registry of `size` people: the batch's extract plus copies whose NIKs and KKs move to
    other provinces (unique, and nobody the batch lists). Built by a child process: the peak
    memory of the children this process starts counts its own."""
    base_path = batch / "dukcapil.parquet"
    if size <= pq.read_metadata(base_path).num_rows:
        return base_path
    path = CACHE / f"{prefix}dukcapil_{size // 1_000_000}M.parquet"
    if not path.exists():
        console.print(f"Building a {size:,}-person registry (once) ...")
        quiet([sys.executable, __file__, "--scale", str(size), str(base_path), str(path)])
    return path


def build_registry(size: int, base_path: Path, path: Path) -> None:
    base = pq.ParquetFile(base_path)
    provinces = ["00", "11", "12", "13", "14", "15", "16", "17", "18", "19", "21", "31", "32",
                 "33", "34", "36", "51", "52", "53", "61"]  # fmt: skip
    written = 0
    with pq.ParquetWriter(path.with_suffix(".tmp"), base.schema_arrow) as writer:
        for province in provinces:
            for batch in base.iter_batches(batch_size=65_536):
                if written >= size:
                    break
                chunk = pa.Table.from_batches([batch]).slice(0, size - written)
                if province != "00":  # the extract itself first, then its copies
                    chunk = _moved_to(chunk, province)
                writer.write_table(chunk, row_group_size=65_536)
                written += chunk.num_rows
    path.with_suffix(".tmp").rename(path)


def _moved_to(chunk: pa.Table, province: str) -> pa.Table:
    moved = {name: pc.utf8_replace_slice(chunk[name], 0, 2, province) for name in ("NIK", "NO_KK")}
    moved["NO_PROP"] = pa.array([province] * chunk.num_rows, pa.large_string())
    for name, column in moved.items():
        chunk = chunk.set_column(chunk.schema.get_field_index(name), name, column)
    return chunk


def stage_figures() -> dict[str, dict]:
    shutil.rmtree(WORK, ignore_errors=True)
    registry = str(BATCH / "dukcapil.parquet")
    enrolled = str(BATCH / "peserta_aktif.csv")
    figures = {
        "ingest": run_child([BANTUAN, "ingest", str(BATCH / "desa"), "-w", str(WORK)]),
        "validate": run_child(
            [BANTUAN, "validate", "-w", str(WORK), "-d", registry, "-e", enrolled, "--year", "2027"]
        ),
        "report": run_child([BANTUAN, "report", "-w", str(WORK), "--year", "2027"]),
    }
    return figures


def round_two() -> dict:
    """`bantuan run` on the villages' answers to the forms of round 1 (stage_figures' work
    folder, copied), with the revised list and the silent village of the generator."""
    answers, work = CACHE / "round2", CACHE / "work_round2"
    shutil.rmtree(answers, ignore_errors=True)
    shutil.rmtree(work, ignore_errors=True)
    subprocess.run(
        [BANTUAN, "sample", str(answers), "--answers-to", str(WORK), "--batch", str(BATCH)],
        check=True, cwd=ROOT, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    shutil.copytree(WORK, work)
    return run_child(
        [BANTUAN, "run", str(answers / "desa"), "-d", str(BATCH / "dukcapil.parquet"),
         "-e", str(BATCH / "peserta_aktif.csv"), "-w", str(work), "--year", "2027"]
    )  # fmt: skip


def after_the_decree() -> dict[str, dict]:
    """After the report (stage_figures' work folder, copied): a budget that leaves 200 people
    waiting, the hand-over, the branch's answer read back, and a played year: four monthly
    bills (the third with a newer registry), the leavers, their replacements, the year."""
    work, played, year = CACHE / "work_year", CACHE / "cabang", CACHE / "tahun"
    for folder in (work, played, year):
        shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(WORK, work)
    budget = str((pq.read_metadata(WORK / "decreed.parquet").num_rows - 200) * 201_600)
    figures = {"report --budget": run_child([BANTUAN, "report", "-w", str(work), "--year", "2027",
                                             "--budget", budget])}  # fmt: skip
    figures["handover"] = run_child([BANTUAN, "handover", "-w", str(work), "--start", "2027-01"])
    quiet([BANTUAN, "sample", str(played), "--branch-to", str(work)])
    figures["branch-result"] = run_child(
        [BANTUAN, "branch-result", *map(str, sorted(played.iterdir())), "-w", str(work)]
    )
    quiet([BANTUAN, "sample", str(year), "--year-of", str(work), "--batch", str(BATCH)])
    days = {1: "2027-01-10", 2: "2027-02-10", 3: "2027-03-10", 4: "2027-04-20"}
    for month, day in days.items():
        command = [BANTUAN, "month", str(year / f"tagihan_2027-{month:02d}.xlsx"), "-m",
                   f"2027-{month:02d}", "-w", str(work), "--today", day]  # fmt: skip
        if month == 3:
            command += ["--dukcapil", str(year / "dukcapil_2027-03.parquet")]
            figures["month (with a 750k registry)"] = run_child(command)
        else:
            figures[f"month {month}"] = run_child(command)
        if month in (1, 2):
            quiet([BANTUAN, "paid", "-m", f"2027-{month:02d}", "--on", day, "-w", str(work)])
        if month == 3:
            figures["changes"] = run_child(
                [BANTUAN, "changes", str(year / "laporan_desa_maret.xlsx"), "-d",
                 str(year / "dukcapil_2027-03.parquet"), "-w", str(work), "--today", "2027-03-20"]
            )  # fmt: skip
    figures["replace"] = run_child([BANTUAN, "replace", "--budget", budget, "--start", "2027-05",
                                    "-w", str(work), "--today", "2027-04-20"])  # fmt: skip
    figures["year"] = run_child([BANTUAN, "year", "--budget", budget, "-w", str(work)])
    with (work / "register.csv").open(encoding="utf-8-sig", newline="") as register:
        states = [row["state"] for row in csv.DictReader(register)]
    figures["year"]["register"] = {state: states.count(state) for state in sorted(set(states))}
    return figures


def quiet(command: list[str]) -> None:
    subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


def end_to_end() -> dict:
    registry, enrolled = str(BATCH / "dukcapil.parquet"), str(BATCH / "peserta_aktif.csv")
    shutil.rmtree(RUN_DIR, ignore_errors=True)
    return run_child(
        [BANTUAN, "run", str(BATCH / "desa"), "-d", registry, "-e", enrolled, "-w", str(RUN_DIR),
         "--year", "2027"]
    )  # fmt: skip


def compared_rounds() -> tuple[dict, dict, dict]:
    """`bantuan run`, the I/O floor and the naive baseline, one after the other, ROUNDS times:
    each is reported by its median round, so one slow moment of the machine moves no ratio."""
    runs, floors, naives = [], [], []
    for _ in range(ROUNDS):
        runs.append(end_to_end())
        floors.append(run_child([sys.executable, "bench/io_floor.py", str(BATCH / "desa"),
                                 str(BATCH / "dukcapil.parquet"), str(RUN_DIR)]))  # fmt: skip
        naives.append(run_child([sys.executable, "bench/naive.py", str(BATCH / "desa"),
                                 str(BATCH / "dukcapil.csv")]))  # fmt: skip
    return (
        median(runs, lambda f: f["wall_s"]),
        median(floors, lambda f: json_line(f)["total"]),
        median(naives, lambda f: f["wall_s"]),
    )


def median(rounds: list[dict], key) -> dict:
    return sorted(rounds, key=key)[len(rounds) // 2]


def json_line(figures: dict) -> dict:
    return json.loads(figures["stdout"].strip().splitlines()[-1])


def province() -> dict:
    """`make bench-province`: a province-like batch (157 village files, 100,000 applicants,
    its own 2M registry scaled to 10M people, 25,000 enrolled): each stage, then `bantuan run`
    end to end, against the registry of 10 million."""
    ensure_batch(PROVINCE, 100_000, 2_000_000, 25_000)
    registry = scaled_registry(10_000_000, PROVINCE, "province_")
    enrolled = str(PROVINCE / "peserta_aktif.csv")
    work, run = CACHE / "work_province", CACHE / "work_province_run"
    for folder in (work, run):
        shutil.rmtree(folder, ignore_errors=True)
    figures = {
        "ingest": run_child([BANTUAN, "ingest", str(PROVINCE / "desa"), "-w", str(work)]),
        "validate": run_child(
            [
                BANTUAN,
                "validate",
                "-w",
                str(work),
                "-d",
                str(registry),
                "-e",
                enrolled,
                "--year",
                "2027",
            ]
        ),  # fmt: skip
        "report": run_child([BANTUAN, "report", "-w", str(work), "--year", "2027"]),
        "run (end to end)": run_child(
            [
                BANTUAN,
                "run",
                str(PROVINCE / "desa"),
                "-d",
                str(registry),
                "-e",
                enrolled,
                "-w",
                str(run),
                "--year",
                "2027",
            ]
        ),  # fmt: skip
    }
    rows = pq.read_metadata(work / "validated.parquet").num_rows
    decreed = pq.read_metadata(work / "decreed.parquet").num_rows
    return {
        "batch": {
            "villages": 157,
            "applicants": rows,
            "registry": 10_000_000,
            "enrolled": 25_000,
            "decreed": decreed,
        },  # fmt: skip
        "stages": {k: {m: v for m, v in f.items() if m != "stdout"} for k, f in figures.items()},
    }


def render_province(results: dict) -> None:
    batch = results["batch"]
    table = Table(
        title=f"Province-like batch: 157 villages, {batch['applicants']:,} applicants, "
        f"10M registry, {batch['decreed']:,} people paid for"
    )
    for column in ("stage", "wall s", "CPU s", "peak RSS MB"):
        table.add_column(column, justify="left" if column == "stage" else "right")
    for stage, f in results["stages"].items():
        table.add_row(stage, f"{f['wall_s']:.2f}", f"{f['cpu_s']:.2f}", f"{f['peak_rss_mb']:.0f}")
    console.print(table)
    console.print("Targets: bantuan run <= 20 s and <= 1,000 MB peak")


def main() -> None:
    if sys.argv[1:2] == ["--scale"]:
        build_registry(int(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))
        return
    if "--province" in sys.argv[1:]:
        path = ROOT / "bench" / "results.json"
        results = json.loads(path.read_text()) if path.exists() else {}
        results["province"] = province()
        path.write_text(json.dumps(results, indent=2) + "\n")
        render_province(results["province"])
        return
    ensure_batch()
    rows = 20_001
    stages = stage_figures()
    stages["run, round 2 (answers read back)"] = round_two()
    stages.update(after_the_decree())
    stages["run (end to end)"], floor, naive = compared_rounds()
    scaling = {}
    for size in SCALES:
        registry = scaled_registry(size)
        work = CACHE / f"work_{size}"
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(WORK, work, ignore=shutil.ignore_patterns("perbaikan", "report"))
        scaling[size] = run_child(
            [BANTUAN, "validate", "-w", str(work), "-d", str(registry),
             "-e", str(BATCH / "peserta_aktif.csv"), "--year", "2027"]
        )  # fmt: skip
    startup = min(run_child([BANTUAN, "--help"])["wall_s"] for _ in range(5))

    run = stages["run (end to end)"]
    results = {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
        ).stdout.strip(),  # fmt: skip
        "batch": {"villages": 157, "applicants": rows, "registry": 750_000, "enrolled": 5_000},
        "rounds": ROUNDS,
        "stages": {k: {m: v for m, v in f.items() if m != "stdout"} for k, f in stages.items()},
        "io_floor": json_line(floor),
        "naive_baseline": {
            **json_line(naive),
            "process_wall_s": naive["wall_s"],
            "peak_rss_mb": naive["peak_rss_mb"],
        },  # fmt: skip
        "ratios": {
            "naive_over_run": round(naive["wall_s"] / run["wall_s"], 2),
            "run_over_io_floor": round(run["wall_s"] / json_line(floor)["total"], 2),
        },
        "registry_scaling": {
            str(size): {m: v for m, v in f.items() if m != "stdout"} for size, f in scaling.items()
        },
        "startup_help_s": startup,
    }
    path = ROOT / "bench" / "results.json"
    if path.exists() and "province" in (kept := json.loads(path.read_text())):
        results["province"] = kept["province"]  # from `make bench-province`
    path.write_text(json.dumps(results, indent=2) + "\n")
    render(results, rows)


def render(results: dict, rows: int) -> None:
    table = Table(title="Regency batch: 157 villages, 20,001 applicants, 750k registry")
    for column in ("stage", "wall s", "CPU s", "peak RSS MB", "rows/s"):
        table.add_column(column, justify="left" if column == "stage" else "right")
    for stage, f in results["stages"].items():
        table.add_row(stage, f"{f['wall_s']:.2f}", f"{f['cpu_s']:.2f}", f"{f['peak_rss_mb']:.0f}",
                      f"{rows / f['wall_s']:,.0f}")  # fmt: skip
    floor, naive = results["io_floor"], results["naive_baseline"]
    table.add_section()
    table.add_row("I/O floor (imports, reads, writes)", f"{floor['total']:.2f}", "", "", "")
    table.add_row("naive baseline (process)", f"{naive['process_wall_s']:.2f}", "",
                  f"{naive['peak_rss_mb']:.0f}", "")  # fmt: skip
    console.print(table)
    ratios = results["ratios"]
    console.print(
        f"Medians of {results['rounds']} interleaved rounds: "
        f"naive / run = {ratios['naive_over_run']}x faster (target >= 5x); "
        f"run / I/O floor = {ratios['run_over_io_floor']}x (target <= 1.5x)"
    )
    floor_parts = ", ".join(
        f"{part} {floor[key]:.2f} s"
        for part, key in (("imports", "imports"), ("villages", "read_villages"),
                          ("registry", "read_registry"), ("outputs", "write_outputs"))
    )  # fmt: skip
    naive_parts = ", ".join(
        f"{part} {naive[key]:.2f} s"
        for part, key in (("villages", "read_villages"), ("registry", "read_registry"),
                          ("merge", "merge"), ("write", "write"))
    )  # fmt: skip
    console.print(
        f"I/O floor parts: {floor_parts} ({floor['files_written']} files); "
        f"naive parts: {naive_parts}"
    )
    scaling = Table(title="Registry scaling: bantuan validate, same 20,001 applicants")
    for column in ("registry", "wall s", "CPU s", "peak RSS MB"):
        scaling.add_column(column, justify="right")
    for size, f in results["registry_scaling"].items():
        scaling.add_row(f"{int(size):,}", f"{f['wall_s']:.2f}", f"{f['cpu_s']:.2f}",
                        f"{f['peak_rss_mb']:.0f}")  # fmt: skip
    console.print(scaling)
    console.print(f"bantuan --help: {results['startup_help_s']:.2f} s (best of 5)")
    console.print(f"Figures written to {ROOT / 'bench' / 'results.json'}")


if __name__ == "__main__":
    main()
