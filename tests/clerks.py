"""A small batch made by hand (two villages of Panggul, a registry of their people) and the
ways village clerks really return a correction form: sorting it, deleting and inserting rows,
typing over the sent values, writing answers in the note, typing the follow-up freely, adding
a person under the table, renaming the sheet, saving it again as .xls or .ods. Not the sample
generator: these are the habits it does not have."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd

from bantuan_iuran.corrections import SENT_COLUMNS

# The registry's people: name, NIK, birth date, sex, village (NO_KEL), date of death.
PEOPLE = {
    "A": ("BUDI SANTOSO", "3503011205800001", "1980-05-12", "LAKI-LAKI", "2001"),
    "B": ("SITI AMINAH", "3503014503820002", "1982-03-05", "PEREMPUAN", "2001"),
    "C": ("JOKO PURNOMO", "3503012007750003", "1975-07-20", "LAKI-LAKI", "2001"),
    "D": ("SRI WAHYUNI", "3503015501900004", "1990-01-15", "PEREMPUAN", "2001"),
    "E": ("SUTRISNO", "3503010211700005", "1970-11-02", "LAKI-LAKI", "2001"),
    "F": ("WARSITO", "3503010808850006", "1985-08-08", "LAKI-LAKI", "2001"),
    "G": ("MARYAM", "3503015002880007", "1988-02-10", "PEREMPUAN", "2001"),
    "H": ("AGUS SALIM", "3503010304780011", "1978-04-03", "LAKI-LAKI", "2002"),
    "I": ("RINA MARLINA", "3503014609830012", "1983-09-06", "PEREMPUAN", "2002"),
    "J": ("HADI PRAYITNO", "3503011010600013", "1960-10-10", "LAKI-LAKI", "2002"),
}
# What Besuki wrote (NIK, name, birth date): A a mistyped NIK, B no NIK, C a wrong birth
# date, D and F NIKs nobody holds, E right.
BESUKI = {
    "A": ("3503011205800009", "Budi Santoso", "12-05-1980"),
    "B": ("", "Siti Aminah", "05-03-1982"),
    "C": ("3503012007750003", "Joko Purnomo", "21-07-1975"),
    "D": ("3503015501900009", "Sri Wahyuni", "15-01-1990"),
    "E": ("3503010211700005", "Sutrisno", "02-11-1970"),
    "F": ("3503010808850009", "Warsito", "08-08-1985"),
}
# Terbis: H right, I a NIK nobody holds, J too old.
TERBIS = {
    "H": ("3503010304780011", "Agus Salim", "03-04-1978"),
    "I": ("3503014609830019", "Rina Marlina", "06-09-1983"),
    "J": ("3503011010600013", "Hadi Prayitno", "10-10-1960"),
}
BESUKI_FILE = "PANGGUL/Desa Besuki.xlsx"
TERBIS_FILE = "PANGGUL/usulan terbis.csv"


def write_registry(path: Path) -> Path:
    rows = [
        {"NIK": nik, "NO_KK": f"35030101{n:02d}0000{n:02d}", "NAMA_LGKP": name,
         "TMPT_LHR": "TRENGGALEK", "TGL_LHR": born, "JENIS_KLMIN": sex,
         "JENIS_PKRJN": "PETANI/PEKEBUN", "ALAMAT": "DSN KRAJAN", "NO_RT": "1", "NO_RW": "2",
         "NO_PROP": "35", "NO_KAB": "3", "NO_KEC": "1", "NO_KEL": kel, "NAMA_KEC": "PANGGUL",
         "NAMA_KEL": "BESUKI" if kel == "2001" else "TERBIS", "TGL_MATI": ""}
        for n, (name, nik, born, sex, kel) in enumerate(PEOPLE.values(), start=1)
    ]  # fmt: skip
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def write_villages(folder: Path) -> Path:
    """Besuki's list as a clerk's workbook (title rows, a header), Terbis's as a CSV."""
    (folder / "PANGGUL").mkdir(parents=True, exist_ok=True)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "USULAN"
    sheet.append(["DAFTAR USULAN PENERIMA BANTUAN IURAN BPJS KETENAGAKERJAAN"])
    sheet.append(["DESA BESUKI KECAMATAN PANGGUL"])
    sheet.append([])
    sheet.append(["No", "NIK", "Nama", "Tempat Lahir", "Tanggal Lahir", "Alamat"])
    for number, (nik, name, born) in enumerate(BESUKI.values(), start=1):
        sheet.append([number, nik, name, "Trenggalek", born, "Dsn Krajan"])
    workbook.save(folder / BESUKI_FILE)
    lines = ["No;NIK;Nama;Tanggal Lahir"] + [
        f"{n};{nik};{name};{born}" for n, (nik, name, born) in enumerate(TERBIS.values(), 1)
    ]
    (folder / TERBIS_FILE).write_text("\n".join(lines) + "\n", "utf-8")
    return folder


class Form:
    """A returned correction form as a clerk edits it (openpyxl), row by row by name."""

    def __init__(self, path: Path) -> None:
        self.workbook = openpyxl.load_workbook(path)
        self.sheet = self.workbook["Perbaikan"]
        self.sheet.protection.sheet = False  # the clerk removes the protection
        header = next(r for r in self.sheet.iter_rows() if r[0].value == SENT_COLUMNS[0][0])
        self.header = header[0].row
        self.columns = {cell.value: cell.column for cell in header if cell.value}

    def row_of(self, name: str) -> int:
        column = self.columns["Nama dari desa"]
        return next(
            r for r in range(self.header + 1, self.sheet.max_row + 1)
            if str(self.sheet.cell(r, column).value or "").casefold() == name.casefold()
        )  # fmt: skip

    def write(self, name: str, column: str, value: str) -> None:
        self.sheet.cell(self.row_of(name), self.columns[column]).value = value

    def last_row(self) -> int:
        return max(
            r for r in range(self.header + 1, self.sheet.max_row + 1)
            if any(self.sheet.cell(r, c).value for c in self.columns.values())
        )  # fmt: skip

    def sort_by_name(self, reverse: bool = True) -> None:
        """Sorts the rows by the name sent, as a spreadsheet program moves whole rows."""
        first, last = self.header + 1, self.last_row()
        width = max(self.columns.values())
        rows = [[self.sheet.cell(r, c).value for c in range(1, width + 1)]
                for r in range(first, last + 1)]  # fmt: skip
        name = self.columns["Nama dari desa"] - 1
        rows.sort(key=lambda values: str(values[name]), reverse=reverse)
        for offset, values in enumerate(rows):
            for column, value in enumerate(values, start=1):
                self.sheet.cell(first + offset, column).value = value

    def delete(self, name: str) -> None:
        self.sheet.delete_rows(self.row_of(name))

    def insert_blank_before(self, name: str) -> None:
        self.sheet.insert_rows(self.row_of(name))

    def add_under(self, values: dict[str, str]) -> None:
        row = self.last_row() + 1
        for column, value in values.items():
            self.sheet.cell(row, self.columns[column]).value = value

    def save(self, path: Path) -> Path:
        """As .xlsx, or saved again as .xls or .ods (every sheet's cells, the hidden one too)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".xlsx":
            self.workbook.save(path)
        elif path.suffix == ".xls":
            _save_xls(self.workbook, path)
        else:
            with pd.ExcelWriter(path, engine="odf") as writer:
                for sheet in self.workbook.worksheets:
                    frame = pd.DataFrame(_values(sheet))
                    frame.to_excel(writer, sheet_name=sheet.title, header=False, index=False)
        return path


def _values(sheet) -> list[list[str]]:
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


def _save_xls(workbook, path: Path) -> None:
    import xlwt

    book = xlwt.Workbook()
    for sheet in workbook.worksheets:
        target = book.add_sheet(sheet.title)
        for r, row in enumerate(_values(sheet)):
            for c, value in enumerate(row):
                if value:
                    target.write(r, c, value)
    book.save(str(path))
