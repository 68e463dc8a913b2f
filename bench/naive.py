"""The naive baseline, as a competent analyst would script it today: pandas read_excel with the
default engine per file and a header search, read_csv of the whole registry, an exact merge on
NIK, and to_excel of the result. Prints one JSON line of timings (seconds)."""

from __future__ import annotations

import json
import sys
import tempfile
import time
import warnings
from pathlib import Path

import pandas as pd

warnings.simplefilter("ignore")


def read_village(path: Path) -> list[pd.DataFrame]:
    if path.suffix == ".csv":
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                frame = pd.read_csv(path, header=None, names=range(40), sep=None,
                                    engine="python", dtype=str, encoding=encoding)  # fmt: skip
                sheets = {"": frame}
                break
            except UnicodeDecodeError:
                continue
    else:
        sheets = pd.read_excel(path, sheet_name=None, header=None, dtype=str)
    frames = []
    for sheet in sheets.values():
        for index, row in sheet.head(15).iterrows():
            if row.astype(str).str.upper().str.contains("NIK|INDUK").any():
                frame = sheet.iloc[index + 1 :].copy()
                frame.columns = [str(c) if i == 0 else f"{c}.{i}" for i, c in enumerate(row)]
                frames.append(frame)
                break
    return frames


def main() -> None:
    villages, registry_csv = Path(sys.argv[1]), Path(sys.argv[2])
    timings = {}
    start = time.perf_counter()
    frames = [f for p in sorted(villages.rglob("*.*")) for f in read_village(p)]
    batch = pd.concat(
        [
            frame.set_axis(range(frame.shape[1]), axis=1).assign(
                NIK_KEY=frame.filter(regex="(?i)NIK|INDUK")
                .iloc[:, 0]
                .str.replace(r"\D", "", regex=True)
            )
            for frame in frames
        ],
        ignore_index=True,
    )
    timings["read_villages"] = time.perf_counter() - start
    start = time.perf_counter()
    registry = pd.read_csv(registry_csv, dtype=str)
    timings["read_registry"] = time.perf_counter() - start
    start = time.perf_counter()
    merged = batch.merge(registry, left_on="NIK_KEY", right_on="NIK", how="left")
    timings["merge"] = time.perf_counter() - start
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        merged.to_excel(Path(out) / "hasil.xlsx", index=False)
    timings["write"] = time.perf_counter() - start
    timings["total"] = sum(timings.values())
    timings["rows"] = len(merged)
    print(json.dumps(timings))


if __name__ == "__main__":
    main()
