"""Files Excel opens that are not workbooks, made by hand as web applications and old Excel
write them: a web page's table saved as .xls, and an Excel 2003 XML spreadsheet."""

from __future__ import annotations

from pathlib import Path

import pytest

from bantuan_iuran.ingest import find_source_files, run_ingest
from bantuan_iuran.ingest.cells import read_sheets
from bantuan_iuran.nik import read_nik

# What a village web application exports as "Excel": a page with a title, a merged header over
# two rows, a total row, line breaks and non-breaking spaces inside cells.
WEB_EXPORT = """<html xmlns:x="urn:schemas-microsoft-com:office:excel">
<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<style>td {mso-number-format:"\\@";}</style></head><body>
<table><tr><td>Laporan dicetak dari SIDesa</td></tr></table>
<table border="1">
<thead>
<tr><th colspan="6">DAFTAR USULAN BPJS KETENAGAKERJAAN DESA BESUKI KEC. PANGGUL</th></tr>
<tr><th rowspan="2">No</th><th rowspan="2">NIK</th><th rowspan="2">Nama&nbsp;Lengkap</th>
<th colspan="2">Kelahiran</th><th rowspan="2">Alamat</th></tr>
<tr><th>Tempat</th><th>Tanggal Lahir</th></tr>
</thead>
<tbody>
<tr><td>1</td><td>3503011205800001</td><td>BUDI&nbsp;SANTOSO</td><td>Trenggalek</td>
<td>12-05-1980</td><td>Dsn Krajan<br>RT 01 RW 02</td></tr>
<tr><td>2</td><td>'3503014503820002</td><td>SITI AMINAH</td><td>Trenggalek</td>
<td>05-03-1982</td><td>Dsn Krajan</td></tr>
<tr><td colspan="5">Jumlah</td><td>2</td></tr>
</tbody></table></body></html>
"""

SPREADSHEET_XML = """<?xml version="1.0"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"
 xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
 <Worksheet ss:Name="Usulan Besuki">
  <Table>
   <Row><Cell ss:MergeAcross="3"><Data ss:Type="String">DESA BESUKI KECAMATAN PANGGUL</Data>
    </Cell></Row>
   <Row ss:Index="3"><Cell><Data ss:Type="String">NIK</Data></Cell>
    <Cell><Data ss:Type="String">NAMA</Data></Cell>
    <Cell ss:Index="4"><Data ss:Type="String">TGL LAHIR</Data></Cell></Row>
   <Row><Cell><Data ss:Type="String">3503011205800001</Data></Cell>
    <Cell><Data ss:Type="String">Budi Santoso</Data></Cell>
    <Cell ss:Index="4"><Data ss:Type="DateTime">1980-05-12T00:00:00.000</Data></Cell></Row>
   <Row><Cell><Data ss:Type="Number">3503014503820002</Data></Cell>
    <Cell><Data ss:Type="String">Siti Aminah</Data></Cell>
    <Cell ss:Index="4"><Data ss:Type="DateTime">1982-03-05T00:00:00.000</Data></Cell></Row>
  </Table>
 </Worksheet>
</Workbook>
"""

XML_BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"
 xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="S"><Table>
<Row><Cell><Data ss:Type="String">&lol3;</Data></Cell></Row></Table></Worksheet></Workbook>
"""


def _ingest(folder: Path, settings):
    return run_ingest(find_source_files([folder]), settings)


@pytest.mark.parametrize("name", ["PANGGUL/usulan besuki.xls", "PANGGUL/usulan besuki.htm"])
def test_a_web_page_table_saved_as_excel_is_read_whole(tmp_path: Path, settings, name) -> None:
    path = tmp_path / name
    path.parent.mkdir()
    path.write_text(WEB_EXPORT, "utf-8")
    result = _ingest(tmp_path, settings)
    rows = result.applicants
    assert rows["nik_raw"].tolist() == ["3503011205800001", "'3503014503820002"]
    assert rows["name"].tolist() == ["BUDI SANTOSO", "SITI AMINAH"]
    assert rows["birth_date"].tolist() == ["12-05-1980", "05-03-1982"]
    assert rows["address"].iloc[0] == "Dsn Krajan\nRT 01 RW 02"
    assert set(rows["kode_desa"]) == {"3503012001"}
    assert rows["source_sheet"].tolist() == ["Tabel 2", "Tabel 2"]
    assert result.failed_files == 0


def test_an_excel_2003_xml_spreadsheet_is_read_whole(tmp_path: Path, settings) -> None:
    (tmp_path / "besuki.xml").write_text(SPREADSHEET_XML, "utf-8")
    rows = _ingest(tmp_path, settings).applicants
    assert rows["nik_raw"].tolist() == ["3503011205800001", "3503014503820002"]
    assert rows["nik_is_number"].tolist() == [False, True]  # Excel kept it as a number
    assert rows["birth_date"].tolist() == ["1980-05-12", "1982-03-05"]
    assert rows["source_row"].tolist() == [4, 5] and set(rows["kode_desa"]) == {"3503012001"}


def test_merged_cells_keep_their_value_in_the_first_cell(tmp_path: Path) -> None:
    path = tmp_path / "x.xls"
    path.write_text(WEB_EXPORT, "utf-8")
    header = read_sheets(path)[1].rows[1]
    assert [cell.text for cell in header] == ["No", "NIK", "Nama Lengkap", "Kelahiran", "",
                                              "Alamat"]  # fmt: skip


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (XML_BOMB, "XML bomb"),
        (
            "<html><body><p>Sesi Anda berakhir</p></body></html>",
            "web page (HTML) without any table",
        ),
        ("<?xml version='1.0'?><note>not a sheet</note>", "XML or HTML but no spreadsheet"),
    ],
)
def test_markup_that_is_no_list_fails_alone(tmp_path: Path, settings, content, message) -> None:
    (tmp_path / "bad.xls").write_text(content, "utf-8")
    (tmp_path / "besuki.xml").write_text(SPREADSHEET_XML, "utf-8")
    result = _ingest(tmp_path, settings)
    failed = result.log[result.log["status"] == "failed"]
    assert failed["file"].tolist() == ["bad.xls"] and message in failed["message"].iloc[0]
    assert len(result.applicants) == 2


def test_an_english_sheet_with_a_family_card_column_is_read_whole(tmp_path: Path, settings) -> None:
    """An NGO's Google Sheet: English headers, the family card beside the identity number."""
    path = tmp_path / "PANGGUL" / "besuki ngo.csv"
    path.parent.mkdir()
    path.write_text(
        "No,Full Name,National ID Number,Family Card Number,Date of Birth,Village,Phone Number\n"
        '1,Budi Santoso,="3503011205800001",="3503010101105001",12-May-1980,Besuki,0812\n'
        '2,Siti Aminah,="3503014503820002",="3503010101105001",05-Mar-1982,Besuki,0813\n',
        "utf-8",
    )
    result = _ingest(tmp_path, settings)
    rows = result.applicants
    assert result.failed_files == 0
    assert [read_nik(n).nik for n in rows["nik_raw"]] == ["3503011205800001", "3503014503820002"]
    assert rows["kk"].tolist() == ['="3503010101105001"'] * 2
    assert rows["name"].tolist() == ["Budi Santoso", "Siti Aminah"]


def test_a_cell_holding_a_nik_and_a_family_card_is_split(tmp_path: Path, settings) -> None:
    """One cell, two labelled numbers, under a header naming both (a clerk's own table)."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["DAFTAR USULAN DESA BESUKI KECAMATAN PANGGUL"])
    sheet.append(["No", "Nama", "NIK / NO. KK", "Alamat"])
    sheet.append([1, "Budi Santoso", "NIK : 3503011205800001\nKK : 3503010101105001", "Krajan"])
    sheet.append([2, "Siti Aminah", "NIK: 3503014503820002\nNo. KK: 3503010101105002", "Krajan"])
    sheet.append([3, "Joko Purnomo", "NIK = 3503012007750003 / KK = 3503010101105003", "Krajan"])
    (tmp_path / "PANGGUL").mkdir()
    workbook.save(tmp_path / "PANGGUL" / "besuki.xlsx")
    rows = _ingest(tmp_path, settings).applicants
    assert rows["nik_raw"].tolist() == ["3503011205800001", "3503014503820002", "3503012007750003"]
    assert rows["kk"].tolist() == ["3503010101105001", "3503010101105002", "3503010101105003"]
    assert rows["address"].tolist() == ["Krajan"] * 3


@pytest.mark.parametrize("numbering", [["1", "2", "3"], ["1.", "2.", "3."]])
def test_a_person_written_over_two_rows_is_one_applicant(
    tmp_path: Path, settings, numbering
) -> None:
    """Name and NIK on the first row, address and family card on the second, with a second
    header row to match."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["DAFTAR USULAN DESA BESUKI KECAMATAN PANGGUL"])
    sheet.append(["No", "Nama", "NIK", "Tanggal Lahir"])
    sheet.append([None, "Alamat", "No. KK", None])
    people = [
        ("Budi Santoso", "3503011205800001", "12-05-1980", "Dsn Krajan", "3503010101105001"),
        ("Siti Aminah", "3503014503820002", "05-03-1982", "Dsn Kulon", "3503010101105002"),
        ("Joko Purnomo", "3503012007750003", "20-07-1975", "Dsn Wetan", "3503010101105003"),
    ]
    for number, (name, nik, born, address, kk) in zip(numbering, people, strict=True):
        sheet.append([number, name, nik, born])
        sheet.append([None, address, kk, None])
    sheet.append(["Jumlah", None, 3, None])
    (tmp_path / "PANGGUL").mkdir()
    workbook.save(tmp_path / "PANGGUL" / "besuki.xlsx")
    result = _ingest(tmp_path, settings)
    rows = result.applicants
    assert rows["name"].tolist() == [p[0] for p in people]
    assert rows["nik_raw"].tolist() == [p[1] for p in people]
    assert rows["address"].tolist() == [p[3] for p in people]
    assert rows["kk"].tolist() == [p[4] for p in people]
    assert rows["source_row"].tolist() == [4, 6, 8]
    dropped = result.dropped
    assert dropped["source_row"].tolist() == [3, 5, 7, 9, 10]  # every row accounted for
