"""Village files as clerks make them: title rows, varied headers, merged cells, totals and
signatures under the table, in .xlsx, .xls, .ods and CSV."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from bantuan_iuran.atomic import atomic_path
from bantuan_iuran.sample.batch import Listing

_MONTHS_ID = (
    "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember".split()
)
FORMATS = ("xlsx", "xlsx", "xlsx", "xlsx", "xls", "xls", "ods", "csv-semicolon", "csv-comma")


@dataclass
class Grid:
    """One sheet: rows of values (None, str, int, float, date) and merged ranges."""

    name: str
    rows: list[list[object]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)


@dataclass
class Placed:
    """Where a listing landed: sheet name and the row number a person sees."""

    listing: Listing
    sheet: str
    row: int


def _choice(rng: np.random.Generator, options):
    return options[int(rng.integers(0, len(options)))]


def _columns(rng: np.random.Generator) -> list[tuple[str, str]]:
    """(header text, field) in the order a clerk laid them out; sub-headers use '>'."""
    birth = _choice(
        rng,
        [
            [("TEMPAT LAHIR", "place"), ("TGL LAHIR", "date")],
            [("Tempat Lahir", "place"), ("Tanggal Lahir", "date")],
            [("TEMPAT, TGL LAHIR", "ttl")],
            [("TEMPAT/TGL LAHIR>TEMPAT", "place"), (">TANGGAL", "date")],
        ],
    )
    rtrw = _choice(rng, [[("RT", "rt"), ("RW", "rw")], [("RT/RW", "rtrw")]])
    columns = [
        ("NO", "no"),
        (_choice(rng, ["NIK", "No. NIK", "NOMOR INDUK KEPENDUDUKAN"]), "nik"),
        (_choice(rng, ["NAMA", "Nama Lengkap", "NAMA PESERTA"]), "name"),
        *birth,
        (_choice(rng, ["L/P", "JK", "Jenis Kelamin"]), "sex"),
        (_choice(rng, ["ALAMAT", "Alamat"]), "address"),
        *rtrw,
        (_choice(rng, ["PEKERJAAN", "Pekerjaan"]), "occupation"),
    ]
    for extra, field_name in (("No HP", "hp"), ("Keterangan", "ket")):
        if rng.random() < 0.5:
            position = int(rng.integers(3, len(columns) + 1))
            if columns[position - 1][0].endswith(">TEMPAT"):
                position += 1  # never between the two halves of a merged header
            columns.insert(position, (extra, field_name))
    return columns


def _date_value(rng: np.random.Generator, born: date | None, text_only: bool) -> object:
    if born is None:
        return None
    style = int(rng.integers(0, 5 if not text_only else 3))
    if style == 0:
        return born.strftime("%d-%m-%Y")
    if style == 1:
        return born.strftime("%d/%m/%Y")
    if style == 2:
        return f"{born.day} {_MONTHS_ID[born.month - 1]} {born.year}"
    if style == 3:
        return born
    return (born - date(1899, 12, 30)).days


def _nik_value(rng: np.random.Generator, nik: object, text_only: bool) -> object:
    if nik is None:
        return None
    if isinstance(nik, int):
        return f"{nik / 1e15:.5f}E+15" if text_only else nik
    style = rng.random()
    if style < 0.1:
        return " ".join(nik[i : i + 4] for i in range(0, len(nik), 4))
    if style < 0.15:
        return ".".join(nik[i : i + 4] for i in range(0, len(nik), 4))
    if style < 0.25 and not text_only:
        return "'" + nik
    return nik


def _sex_value(rng: np.random.Generator, sex: str) -> str:
    female = sex == "PEREMPUAN"
    return _choice(rng, [("P", "PR", "Perempuan"), ("L", "LK", "Laki-laki")][0 if female else 1])


def _cell(rng, listing: Listing, field_name: str, number: int, text_only: bool) -> object:
    match field_name:
        case "no":
            return number
        case "nik":
            return _nik_value(rng, listing.nik, text_only)
        case "name":
            return listing.name
        case "place":
            return listing.birth_place or None
        case "date":
            return _date_value(rng, listing.birth_date, text_only)
        case "ttl":
            born = _date_value(rng, listing.birth_date, True)
            return ", ".join(filter(None, [listing.birth_place, born])) or None
        case "sex":
            return _sex_value(rng, listing.sex)
        case "address":
            return listing.address
        case "rt":
            return listing.rt.zfill(int(rng.integers(1, 4)))
        case "rw":
            return listing.rw.zfill(int(rng.integers(1, 4)))
        case "rtrw":
            return f"{listing.rt.zfill(3)}/{listing.rw.zfill(3)}"
        case "occupation":
            return listing.occupation
        case "hp":
            return "08" + str(int(rng.integers(10**9, 10**10)))
        case "ket":
            return _choice(rng, ["Petani tembakau", "Buruh tani", "", "Baru"]) or None
    raise ValueError(field_name)


def build_sheets(
    rng: np.random.Generator,
    desa: str,
    kecamatan: str,
    listings: list[Listing],
    text_only: bool,
    allow_split: bool,
    title_names_kecamatan: bool,
) -> tuple[list[Grid], list[Placed]]:
    columns = _columns(rng)
    split = allow_split and len(listings) >= 10 and rng.random() < 0.25
    parts = (
        [listings[: len(listings) // 2], listings[len(listings) // 2 :]] if split else [listings]
    )
    grids, placed = [], []
    for number, part in enumerate(parts, start=1):
        name = f"Data {number}" if split else _choice(rng, ["Sheet1", "DATA", "Usulan"])
        grid = _sheet(rng, name, desa, kecamatan, part, columns, text_only, title_names_kecamatan)
        grids.append(grid[0])
        placed.extend(grid[1])
    if split:
        grids.append(Grid("Rekap", [["REKAP USULAN"], ["Desa", desa], ["Jumlah", len(listings)]]))
    return grids, placed


def _sheet(rng, name, desa, kecamatan, listings, columns, text_only, names_kecamatan):
    grid = Grid(name)
    width = len(columns)
    where = f"DESA {desa.upper()}" + (f" KECAMATAN {kecamatan.upper()}" if names_kecamatan else "")
    titles = [
        "DAFTAR CALON PENERIMA BANTUAN IURAN BPJS KETENAGAKERJAAN",
        where,
        "KABUPATEN TRENGGALEK",
        "TAHUN ANGGARAN 2027",
    ][: int(rng.integers(2, 5))]
    for _ in range(int(rng.integers(0, 2))):
        grid.rows.append([])
    for title in titles:
        grid.merges.append((len(grid.rows), 0, len(grid.rows), width - 1))
        grid.rows.append([title])
    if rng.random() < 0.5:
        grid.rows.append([])
    header = [h.split(">")[0] or None for h, _ in columns]
    grid.rows.append(header)
    if any(">" in h for h, _ in columns):
        top = len(grid.rows) - 1
        first = next(i for i, (h, _) in enumerate(columns) if ">" in h)
        grid.merges.append((top, first, top, first + 1))
        grid.rows.append([h.split(">")[1] if ">" in h else None for h, _ in columns])
    if rng.random() < 0.3:
        grid.rows.append(list(range(1, width + 1)))
    blank_at = (
        int(rng.integers(1, len(listings))) if len(listings) > 3 and rng.random() < 0.2 else -1
    )
    placed = []
    for number, listing in enumerate(listings, start=1):
        if number - 1 == blank_at:
            grid.rows.append([])
        values = [_cell(rng, listing, f, number, text_only) for _, f in columns]
        grid.rows.append(values)
        placed.append(Placed(listing, name, len(grid.rows)))
    _footer(rng, grid, desa, len(listings), columns)
    return grid, placed


def _footer(rng, grid: Grid, desa: str, count: int, columns) -> None:
    name_column = next(i for i, (_, f) in enumerate(columns) if f == "name")
    if rng.random() < 0.6:
        row: list[object] = [None] * len(columns)
        row[0], row[name_column] = "JUMLAH", f"{count} orang"
        grid.rows.append(row)
    if rng.random() < 0.7:
        column = _choice(rng, [name_column, len(columns) - 2])
        grid.rows.append([])
        for text in (
            "Trenggalek, 14 Oktober 2026",
            "Mengetahui,",
            f"Kepala Desa {desa}",
            None,
            "( SUPARMAN )",
        ):
            row = [None] * len(columns)
            row[column] = text
            grid.rows.append(row)


def write_grids(grids: list[Grid], path: Path, file_format: str) -> None:
    with atomic_path(path) as tmp:
        match file_format:
            case "xlsx":
                _write_xlsx(grids, tmp)
            case "xls":
                _write_xls(grids, tmp)
            case "ods":
                _write_ods(grids, tmp)
            case "csv-semicolon":
                _write_csv(grids[0], tmp, ";", "utf-8-sig")
            case "csv-comma":
                _write_csv(grids[0], tmp, ",", "cp1252")


def _write_xlsx(grids: list[Grid], path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for grid in grids:
        sheet = workbook.create_sheet(grid.name)
        for row in grid.rows:
            sheet.append(row)
        for r0, c0, r1, c1 in grid.merges:
            sheet.merge_cells(
                start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1
            )
    workbook.save(path)


def _write_xls(grids: list[Grid], path: Path) -> None:
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="DD-MM-YYYY")
    for grid in grids:
        sheet = workbook.add_sheet(grid.name)
        merged_tops = {(r0, c0): (r1, c1) for r0, c0, r1, c1 in grid.merges}
        for r, row in enumerate(grid.rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                style = date_style if isinstance(value, date) else xlwt.Style.default_style
                if (r, c) in merged_tops:
                    r1, c1 = merged_tops[(r, c)]
                    sheet.write_merge(r, r1, c, c1, value, style)
                else:
                    sheet.write(r, c, float(value) if isinstance(value, int) else value, style)
    workbook.save(str(path))


def _write_ods(grids: list[Grid], path: Path) -> None:
    with pd.ExcelWriter(path, engine="odf") as writer:
        for grid in grids:
            width = max((len(r) for r in grid.rows), default=1)
            rows = [list(r) + [None] * (width - len(r)) for r in grid.rows]
            frame = pd.DataFrame(rows, dtype=object)
            frame.to_excel(writer, sheet_name=grid.name, header=False, index=False)


def _write_csv(grid: Grid, path: Path, delimiter: str, encoding: str) -> None:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        for row in grid.rows:
            writer.writerow(["" if v is None else _csv_text(v) for v in row])


def _csv_text(value: object) -> str:
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    return str(value)
