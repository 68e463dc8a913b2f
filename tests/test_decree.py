"""The decree attachment as a document: pages cut so that no heading is orphaned, the workbook
and the PDF that print those same pages, identification, totals, words and signature."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import openpyxl
import pypdf
import pytest

from bantuan_iuran.excel import SMALL_AMOUNTS, printable_points
from bantuan_iuran.money import terbilang
from bantuan_iuran.report.decree import BLANK
from bantuan_iuran.report.pages import (
    CONTINUED,
    DESA,
    KECAMATAN,
    PERSON,
    TOTAL,
    Line,
    decree_lines,
    paginate,
)
from helpers import FONT_MACHINES, cell_overflows, excel_fit_scale, print_with_libreoffice


def _people(groups: dict[tuple[str, str], int]) -> list[dict]:
    people = []
    for (kecamatan, desa), count in groups.items():
        for _ in range(count):
            people.append({"kecamatan": kecamatan, "desa": desa, "months": 12,
                           "premium_monthly": 16800, "premium_total": 201600})  # fmt: skip
    return people


def _lines(groups: dict[tuple[str, str], int]) -> list[Line]:
    people = _people(groups)
    return decree_lines(people, [(str(n),) for n in range(1, len(people) + 1)])


def test_lines_are_headings_people_and_subtotals_in_order() -> None:
    lines = _lines({("Dongko", "Pandean"): 2, ("Dongko", "Ngerdani"): 1, ("Suruh", "Mlinjon"): 1})
    assert [(line.kind, line.label or line.cells[0]) for line in lines] == [
        (KECAMATAN, "KECAMATAN DONGKO"),
        (DESA, "DESA/KELURAHAN PANDEAN"),
        (PERSON, "1"),
        (PERSON, "2"),
        (TOTAL, "Jumlah Desa/Kelurahan Pandean"),
        (DESA, "DESA/KELURAHAN NGERDANI"),
        (PERSON, "3"),
        (TOTAL, "Jumlah Desa/Kelurahan Ngerdani"),
        (TOTAL, "Jumlah Kecamatan Dongko"),
        (KECAMATAN, "KECAMATAN SURUH"),
        (DESA, "DESA/KELURAHAN MLINJON"),
        (PERSON, "4"),
        (TOTAL, "Jumlah Desa/Kelurahan Mlinjon"),
        (TOTAL, "Jumlah Kecamatan Suruh"),
        (TOTAL, "JUMLAH SELURUHNYA"),
    ]
    assert [(t.people, t.amount) for t in lines if t.kind == TOTAL][-1] == (4, 4 * 201600)


@pytest.mark.parametrize("first,rest", [(5, 7), (6, 6), (9, 12), (4, 5)])
def test_no_page_ends_with_a_heading_and_a_page_inside_a_group_repeats_it(first, rest) -> None:
    lines = _lines({("A", "a1"): 3, ("A", "a2"): 6, ("B", "b1"): 1, ("B", "b2"): 9})
    pages = paginate(lines, first, rest, tail=2)
    assert all(page[-1].kind not in (KECAMATAN, DESA) for page in pages)
    assert sum(len(page) for page in pages[:1]) <= first
    assert all(len(page) <= rest for page in pages[1:-1])
    assert len(pages[-1]) + 2 <= rest or len(pages) == 1  # the grand total with what follows
    written = [line for page in pages for line in page if not line.label.endswith(CONTINUED)]
    assert written == lines  # nothing lost, nothing doubled
    for page in pages[1:]:
        top = page[0]
        if top.kind != KECAMATAN and top.kecamatan:
            assert top.label == f"KECAMATAN {top.kecamatan.upper()}{CONTINUED}"
        inside_desa = [line for line in page if not line.label.endswith(CONTINUED)][0]
        if inside_desa.kind in (PERSON,) or (inside_desa.kind == TOTAL and inside_desa.desa):
            assert page[1].label == f"DESA/KELURAHAN {inside_desa.desa.upper()}{CONTINUED}"


@pytest.mark.parametrize("first,rest", [(10, 18), (12, 19), (16, 20), (20, 24), (26, 26), (5, 30)])
def test_the_grand_total_and_signature_never_stand_alone_on_the_last_page(first, rest) -> None:
    lines = _lines({("A", "a1"): 3, ("A", "a2"): 6, ("B", "b1"): 2, ("B", "b2"): 7})
    pages = paginate(lines, first, rest, tail=9)
    last = [line for line in pages[-1] if line.kind == PERSON]
    assert len(last) >= 3 and pages[-1][-1].label == "JUMLAH SELURUHNYA"
    assert sum(line.lines for line in pages[-1]) + 9 <= (rest if len(pages) > 1 else first)
    written = [line for page in pages for line in page if not line.label.endswith(CONTINUED)]
    assert written == lines


def test_a_tall_row_moves_whole_to_the_next_page() -> None:
    lines = _lines({("A", "a1"): 4})
    tall = [
        Line(**{**line.__dict__, "lines": 3}) if line.kind == PERSON else line for line in lines
    ]
    pages = paginate(tall, 6, 8)
    assert all(sum(line.lines for line in page) <= 8 for page in pages)


def _decree_sheet(work: Path):
    return openpyxl.load_workbook(work / "report" / "lampiran_sk_2027.xlsx")["Lampiran"]


def test_workbook_lists_every_person_with_text_niks_and_the_totals(reported) -> None:
    work, report = reported
    sheet = _decree_sheet(work)
    rows = list(sheet.iter_rows(values_only=True))
    people = [r for r in rows[8:] if re.fullmatch(r"[\d.]+", str(r[0]))]
    numbers = [int(r[0].replace(".", "")) for r in people]  # 1.000: numbered as Indonesians write
    assert numbers == list(range(1, len(report.selected) + 1))
    assert all(isinstance(r[1], str) and len(r[1]) == 16 for r in people)
    assert all(re.fullmatch(r"\d{3}/\d{3}", r[7]) for r in people if r[7])
    assert all(r[3] == r[3].upper() for r in people)
    grand = next(r for r in rows if str(r[0] or "").startswith("JUMLAH SELURUHNYA"))
    assert grand[0] == f"JUMLAH SELURUHNYA: {len(people):,} orang".replace(",", ".")
    assert grand[10] == report.total
    kecamatan = [r for r in rows if str(r[0] or "").startswith("Jumlah Kecamatan")]
    assert sum(r[10] for r in kecamatan) == report.total


def test_workbook_is_a_document_to_sign(reported) -> None:
    work, report = reported
    sheet = _decree_sheet(work)
    rows = list(sheet.iter_rows(values_only=True))
    assert [r[1:3] for r in rows[3:6]] == [
        ("Nomor", f": {BLANK}"),
        ("Tanggal", f": {BLANK}"),
        ("Tentang", ": Penerima Bantuan Iuran Jaminan Sosial Ketenagakerjaan bagi Pekerja Rentan"),
    ]
    assert sheet.oddFooter.center.text == "Halaman &P dari &N"
    assert sheet.print_title_rows == "$8:$8"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    grand = next(i for i, r in enumerate(rows) if str(r[0] or "").startswith("JUMLAH SELURUHNYA"))
    assert rows[grand + 1][2] == f"Terbilang: {terbilang(report.total)}"
    signature = [v for r in rows[grand + 2 :] for v in r if v]
    assert signature == [f"Trenggalek, {BLANK}", "BUPATI TRENGGALEK", f"( {BLANK} )"]


def test_money_shows_dots_whatever_the_locale(reported) -> None:
    work, report = reported
    sheet = _decree_sheet(work)
    grand = next(r for r in sheet.iter_rows() if str(r[0].value or "").startswith("JUMLAH SEL"))
    assert grand[10].number_format == SMALL_AMOUNTS  # 124.790.400 in every locale
    person = next(r for r in sheet.iter_rows(min_row=9) if str(r[0].value).isdigit())
    assert [c.number_format for c in person[8:]] == [SMALL_AMOUNTS] * 3


def test_every_value_fits_its_column(reported) -> None:
    assert cell_overflows(_decree_sheet(reported[0])) == []


def _pages(sheet) -> list[list[int]]:
    breaks = [b.id for b in sheet.row_breaks.brk]
    last = sheet.max_row
    edges = [9, *(b + 1 for b in breaks), last + 1]
    return [list(range(a, b)) for a, b in zip(edges, edges[1:], strict=False)]


def test_pages_are_cut_by_the_tool_and_no_heading_ends_a_page(reported) -> None:
    sheet = _decree_sheet(reported[0])
    scale = excel_fit_scale(sheet) / 100
    room = printable_points()[1] / scale - sheet.row_dimensions[8].height
    pages = _pages(sheet)
    assert len(pages) > 3
    for number, rows in enumerate(pages):
        above = sum(sheet.row_dimensions[r].height or 15 for r in range(1, 8)) if not number else 0
        assert above + sum(sheet.row_dimensions[r].height or 15 for r in rows) <= room
        last = sheet.cell(rows[-1], 1).value or ""
        assert not last.startswith(("KECAMATAN", "DESA/KELURAHAN")), (number, last)
    for rows in pages[1:]:  # a kecamatan's heading, its own or repeated "(lanjutan)"
        assert sheet.cell(rows[0], 1).value.startswith(("KECAMATAN", "JUMLAH SELURUHNYA"))


@pytest.fixture(scope="module")
def decree_pdf(reported) -> pypdf.PdfReader:
    return pypdf.PdfReader(reported[0] / "report" / "lampiran_sk_2027.pdf")


def test_pdf_prints_the_workbooks_pages_numbered(reported, decree_pdf) -> None:
    sheet = _decree_sheet(reported[0])
    pages = _pages(sheet)
    assert len(decree_pdf.pages) == len(pages)
    for number, (page, rows) in enumerate(zip(decree_pdf.pages, pages, strict=True), start=1):
        text = page.extract_text()
        assert f"Halaman {number} dari {len(pages)}" in text
        assert sheet.cell(rows[0], 1).value in text  # the same first line as the workbook's
        assert page.mediabox.width == 842 and page.mediabox.height == 595


def test_pdf_has_identification_totals_in_words_and_signature(reported, decree_pdf) -> None:
    _, report = reported
    first, last = decree_pdf.pages[0].extract_text(), decree_pdf.pages[-1].extract_text()
    assert "LAMPIRAN KEPUTUSAN BUPATI TRENGGALEK" in first and f"Nomor\n: {BLANK}" in first
    assert "124.790.400" not in first or report.total == 124_790_400
    assert f"Terbilang: {terbilang(report.total)}" in last
    assert "BUPATI TRENGGALEK" in last and f"( {BLANK} )" in last
    total = f"{report.total:,}".replace(",", ".")
    assert f"JUMLAH SELURUHNYA: {len(report.selected):,} orang".replace(",", ".") in last
    assert total in last


def test_pdf_embeds_its_fonts_and_is_the_same_every_run(reported, decree_pdf, tmp_path) -> None:
    for page in decree_pdf.pages:
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object()
            descriptor = descendant.get("/FontDescriptor")
            assert descriptor is not None and "/FontFile2" in descriptor.get_object()
    from bantuan_iuran.config import load_settings
    from bantuan_iuran.report.decree import decree_document
    from bantuan_iuran.report.pdf import write_decree_pdf

    _, report = reported
    again = tmp_path / "again.pdf"
    write_decree_pdf(decree_document(report, "Trenggalek", load_settings().decree), again)
    original = reported[0] / "report" / "lampiran_sk_2027.pdf"
    assert again.read_bytes() == original.read_bytes()


def test_the_manifest_records_the_pdf_with_its_digest(reported) -> None:
    import json

    from bantuan_iuran.manifest import sha256_of

    work, _ = reported
    manifest = json.loads((work / "manifest.json").read_text())
    written = {w["path"]: w for w in manifest["stages"]["report"]["outputs"]}
    pdf = written["report/lampiran_sk_2027.pdf"]
    assert pdf["sha256"] == sha256_of(work / "report" / "lampiran_sk_2027.pdf")


def _fonts(reader) -> set[str]:
    return {font["/BaseFont"].split("+")[-1] for page in reader.pages
            for font in page["/Resources"]["/Font"].values()}  # fmt: skip


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("machine", FONT_MACHINES)
@pytest.mark.parametrize("copy", ["lampiran_sk_2027", "lampiran_sk_2027_publik"])
def test_libreoffice_prints_the_workbook_on_the_same_numbered_pages_with_any_font(
    reported, tmp_path, machine, copy
) -> None:
    work, _ = reported
    printed = print_with_libreoffice(work / "report" / f"{copy}.xlsx", tmp_path, machine)
    ours = pypdf.PdfReader(work / "report" / f"{copy}.pdf")
    if machine == "no Carlito":
        assert not any(font.startswith("Carlito") for font in _fonts(printed))
    assert len(printed.pages) == len(ours.pages)
    for number, (page, own) in enumerate(zip(printed.pages, ours.pages, strict=True), start=1):
        text = page.extract_text()
        assert f"Halaman {number} dari {len(printed.pages)}" in text
        # every column on the page: the last column's header; the page's last person
        assert "Iuran Setahun" in text.replace("\n", " ")
        people = re.findall(r"^[\d.]+ (3503\S{12}) (.*) ([\d.]+)$", own.extract_text(), re.M)
        if people:
            nik, _, amount = people[-1]
            assert nik in text and amount in text
    last = printed.pages[-1].extract_text()
    assert "JUMLAH SELURUHNYA" in last and "Terbilang" in last and BLANK in last


def test_the_public_copy_has_the_same_pages_without_niks_or_birth_dates(
    reported, decree_pdf
) -> None:
    import re

    work = reported[0]
    public = pypdf.PdfReader(work / "report" / "lampiran_sk_2027_publik.pdf")
    assert len(public.pages) == len(decree_pdf.pages)
    for mine, signed in zip(public.pages, decree_pdf.pages, strict=True):
        text = mine.extract_text()
        assert not re.search(r"\d{16}", text) and not re.search(r"\d\d-\d\d-(19|20)\d\d", text)
        assert re.search(r"3503\*{8}\d{4}", text)
        # The same people on the same page: the names of the signed copy's page.
        assert text.split("\n")[-1] == signed.extract_text().split("\n")[-1]  # Halaman x dari y
    assert "SALINAN UNTUK DIUMUMKAN" in public.pages[0].extract_text()
    sheet = openpyxl.load_workbook(work / "report" / "lampiran_sk_2027_publik.xlsx")["Lampiran"]
    texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not any(re.fullmatch(r"\d{16}", t) for t in texts)
    manifest = json.loads((work / "manifest.json").read_text())
    written = {f["path"] for f in manifest["stages"]["report"]["outputs"]}
    assert "report/lampiran_sk_2027_publik.pdf" in written
