"""Makes the corpus of hostile and broken village files the trust tests read.

Run from the repository root: `.venv/bin/python tests/corpus/make_corpus.py`. The small files are
committed under tests/corpus/files/; the bombs are made small (a few hundred KB) but declare or
inflate to far more than the reader accepts. The encrypted workbook needs msoffcrypto-tool
(`pip install msoffcrypto-tool`), only here, never at run time.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import xlsxwriter

OUT = Path(__file__).parent / "files"
HEADER = ["NIK", "NAMA", "TGL LAHIR"]
ROW = ["3503011205800001", "BUDI SANTOSO", "12-05-1980"]


def valid_workbook_bytes(rows: int = 3) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["DESA KAYEN KECAMATAN KARANGAN"])
    sheet.append(HEADER)
    for _ in range(rows):
        sheet.append(ROW)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def replace_sheet_xml(source: bytes, sheet_xml: bytes, level: int = 9) -> bytes:
    """A copy of an .xlsx whose first sheet part is `sheet_xml`."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as old, zipfile.ZipFile(out, "w") as new:
        for item in old.infolist():
            data = sheet_xml if item.filename == "xl/worksheets/sheet1.xml" else old.read(item)
            new.writestr(item.filename, data, zipfile.ZIP_DEFLATED, compresslevel=level)
    return out.getvalue()


def xml_bomb() -> bytes:
    entities = '<!ENTITY a0 "lol">' + "".join(
        f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    )
    sheet = (
        f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&a9;</t></is></c></row>'
        "</sheetData></worksheet>"
    ).encode()
    return replace_sheet_xml(valid_workbook_bytes(), sheet)


def zip_bomb() -> bytes:
    """A sheet part of 600 MB of blanks inside a file of about 600 KB."""
    head = (
        b'<?xml version="1.0"?><worksheet '
        b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    )
    tail = b"</sheetData></worksheet>"
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(valid_workbook_bytes())) as old,
        zipfile.ZipFile(out, "w") as new,
    ):
        for item in old.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                new.writestr(item.filename, old.read(item), zipfile.ZIP_DEFLATED)
                continue
            info = zipfile.ZipInfo(item.filename)
            info.compress_type = zipfile.ZIP_DEFLATED
            # Streamed, so the 600 MB never sit in memory.
            with new.open(info, "w", force_zip64=True) as handle:
                handle.write(head)
                block = b" " * (1 << 20)
                for _ in range(600):
                    handle.write(block)
                handle.write(tail)
    return out.getvalue()


def formatted_to_the_last_row() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for i in range(100):
        sheet.append([f"35030112058{i:05d}", f"ORANG {i}", "12-05-1980"])
    sheet["C1048576"].number_format = "DD-MM-YYYY"
    sheet["C1048576"].value = ""
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ten_thousand_columns() -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([*HEADER, *[f"X{i}" for i in range(10_000 - len(HEADER))]])
    sheet.append(ROW)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def formulas_and_injection(path: Path) -> None:
    """Formula cells with cached values in data columns, and names that look like formulas."""
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
    sheet = workbook.add_worksheet("Data")
    sheet.write_row(0, 0, ["DESA KAYEN KECAMATAN KARANGAN"])
    sheet.write_row(1, 0, ["NO", "NIK", "NAMA", "TGL LAHIR"])
    sheet.write_formula(2, 0, "=ROW()-2", None, 1)
    sheet.write_string(2, 1, "3503011205800001")
    sheet.write_formula(2, 2, '=UPPER("budi santoso")', None, "BUDI SANTOSO")
    sheet.write_formula(2, 3, "=DATE(1980,5,12)", None, "12-05-1980")
    for row, name in enumerate(
        ['=HYPERLINK("http://example.invalid","klik")', "+SITI", "-SITI", "@SUM(A1:A2)"], start=3
    ):
        sheet.write_number(row, 0, row - 2)
        sheet.write_string(row, 1, f"350301520582000{row}")
        sheet.write_string(row, 2, name)
    workbook.close()


def encrypted(source: bytes) -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(source)).encrypt("rahasia", out)
    return out.getvalue()


def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><document>Surat</document>')
    return out.getvalue()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    valid = valid_workbook_bytes()
    files = {
        "empty.xlsx": b"",
        "truncated.xlsx": valid[: len(valid) // 2],
        "surat.xlsx": docx_bytes(),
        "scan.xlsx": b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n",
        "export_web.xls": (
            b"<html><body><table><tr><td>NIK</td><td>NAMA</td></tr>"
            b"<tr><td>3503011205800001</td><td>BUDI</td></tr></table></body></html>"
        ),
        "terkunci.xlsx": encrypted(valid),
        "utf16.csv": "\r\n".join(
            ["DESA KAYEN KECAMATAN KARANGAN", ";".join(HEADER), ";".join(ROW)]
        ).encode("utf-16"),
        "ragged.csv": (
            b"DESA KAYEN KECAMATAN KARANGAN\nNIK,NAMA,TGL LAHIR\n3503011205800001,BUDI\n"
            b"3503015205820002,SITI,15-05-1982,catatan,lagi\n"
        ),
        "xml_bomb.xlsx": xml_bomb(),
        "zip_bomb.xlsx": zip_bomb(),
        "formatted_to_last_row.xlsx": formatted_to_the_last_row(),
        "wide.xlsx": ten_thousand_columns(),
    }
    for name, data in files.items():
        (OUT / name).write_bytes(data)
    formulas_and_injection(OUT / "formulas.xlsx")


if __name__ == "__main__":
    main()
