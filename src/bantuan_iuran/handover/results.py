"""What the BPJS branch sends back, in whatever layout it comes: the table found by the same
header and content detection as village lists, each row keyed on its NIK and confirmed by name
and birth date against the person handed over, and read as registered (with the membership
number KPJ and the date cover starts, where given) or rejected (with the branch's reason).
Whether a row was accepted is read from what the row shows: a status, else a KPJ (accepted)
or a reason (rejected), else the words over the table or in the sheet's or file's name."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bantuan_iuran.ingest.cells import Cell, Sheet
from bantuan_iuran.ingest.headers import normalize_header
from bantuan_iuran.ingest.layout import Layout, cell_at, find_layout, unnamed_headers
from bantuan_iuran.ingest.rows import name_text, rows_by_nik
from bantuan_iuran.normalize import normalize_date, normalize_name

REGISTERED, REJECTED = "registered", "rejected"

# Header words of the columns a village list has not: any header holding one of these words
# (with a qualifier where the word alone says little) is that column.
_KPJ_WORDS = {"KPJ"}
_NUMBER_WORDS = {"NO", "NOMOR", "NOMER"}
_MEMBER_WORDS = {"PESERTA", "KARTU", "KEPESERTAAN", "ANGGOTA"}
_STATUS_WORDS = {"STATUS", "HASIL", "VALIDASI", "VERIFIKASI", "DITERIMA", "DITOLAK"}
_REASON_WORDS = {"ALASAN", "KETERANGAN", "KET", "PESAN", "ERROR", "CATATAN", "PENOLAKAN",
                 "REASON", "MESSAGE", "REMARK", "REMARKS"}  # fmt: skip
_DATE_WORDS = {"TGL", "TANGGAL", "TMT", "DATE"}
_START_WORDS = {"KEPESERTAAN", "REGISTRASI", "DAFTAR", "TERDAFTAR", "EFEKTIF", "MULAI", "AKTIF",
                "PENDAFTARAN", "AWAL"}  # fmt: skip

# Words of a status (or of a title over a table): accepted, or not.
_ACCEPTED = re.compile(r"\b(DI ?TERIMA|TERIMA|BERHASIL|SUKSES|VALID|AKTIF|TERDAFTAR|OK|SESUAI|"
                       r"ACCEPTED|SUCCESS)\b")  # fmt: skip
_REJECTED = re.compile(r"\b(DI ?TOLAK|TOLAK|GAGAL|INVALID|TIDAK|BELUM|ERROR|REJECT(ED)?|"
                       r"FAILED|BUKAN)\b")  # fmt: skip
# A reason that says the registration went through.
_SUCCEEDED = re.compile(r"\b(BERHASIL|SUKSES|DI ?TERIMA|ACCEPTED|SUCCESS|OK)\b")
_KPJ = re.compile(r"^\d{8,13}$")


@dataclass(frozen=True)
class ResultRow:
    """One row of the branch's result as read: where it is, the NIK, what confirms it, and
    what the branch decided ('' when the row does not say)."""

    sheet: str
    row: int  # as the spreadsheet numbers it
    nik: str
    name: str
    birth_date: str  # ISO, or '' when the row has none
    outcome: str  # registered | rejected | ''
    kpj: str
    cover_start: str  # ISO
    reason: str


@dataclass(frozen=True)
class ResultTable:
    rows: list[ResultRow]
    problems: list[str]  # sheets whose table could not be read; rows with no readable NIK


def read_result(sheets: Sequence[Sheet], file_name: str) -> ResultTable:
    """Every row with a NIK in every sheet that holds a table of people."""
    rows: list[ResultRow] = []
    problems: list[str] = []
    for sheet in sheets:
        layout = find_layout(sheet.rows, {})
        if not isinstance(layout, Layout) or layout.index_of("nik") is None:
            if layout is not None and getattr(layout, "has_niks", False):
                problems.append(f"sheet {sheet.name!r}: {layout.message}")
            continue
        columns = _branch_columns(sheet.rows, layout)
        title = " ".join([file_name, sheet.name, *_title_texts(sheet.rows, layout)])
        keyed = rows_by_nik(sheet.name, sheet.rows, layout)
        problems += keyed.unread
        rows += [_result_row(sheet.name, number, nik, row, layout, columns, title)
                 for number, nik, row in keyed.rows]  # fmt: skip
    return ResultTable(rows, problems)


def _result_row(sheet, number, nik, row, layout, columns, title) -> ResultRow:
    def text(field: str) -> str:
        return cell_at(row, columns.get(field)).text.strip()

    born = cell_at(row, layout.index_of("birth_date")).text
    kpj = membership_number(text("kpj"))
    reason = text("reason")
    return ResultRow(
        sheet, number, nik, normalize_name(name_text(row, layout)),
        normalize_date(born, latest_year=2100) if born else "",
        decided(text("status"), kpj, reason, title), kpj,
        normalize_date(text("start"), latest_year=2100) if text("start") else "", reason,
    )  # fmt: skip


def decided(status: str, kpj: str, reason: str, title: str) -> str:
    """Accepted or rejected, from the row's status; else a KPJ means registered, and a reason
    rejected unless it says the registration succeeded; else the words over the table or in
    the sheet's or file's name; else ''.

    >>> decided("Tidak valid", "", "", ""), decided("VALID", "", "", ""), decided("", "1", "", "")
    ('rejected', 'registered', 'registered')
    >>> decided("", "", "Sudah terdaftar di perusahaan lain", ""), decided("", "", "Berhasil", "")
    ('rejected', 'registered')
    >>> decided("", "", "", "data ditolak.xlsx"), decided("", "", "", "Sheet1")
    ('rejected', '')
    """
    verdict = _verdict(status)
    if verdict:
        return verdict
    if kpj:
        return REGISTERED
    if reason:
        words = normalize_header(reason)
        succeeded = _SUCCEEDED.search(words) and not _REJECTED.search(words)
        return REGISTERED if succeeded else REJECTED
    return _verdict(title)


def _verdict(text: str) -> str:
    words = normalize_header(text)
    if _REJECTED.search(words):
        return REJECTED
    return REGISTERED if _ACCEPTED.search(words) else ""


def _branch_columns(rows: Sequence[Sequence[Cell]], layout: Layout) -> dict[str, int]:
    """The columns no village list has, by their header's words, else by what they hold."""
    found: dict[str, int] = {}
    for index, header in unnamed_headers(layout).items():
        words = set(normalize_header(header).split())
        field = _field_of(words)
        if field and field not in found:
            found[field] = index
    if "kpj" not in found:
        found.update(_kpj_by_content(rows, layout))
    return found


def _field_of(words: set[str]) -> str | None:
    if words & _KPJ_WORDS or (words & _NUMBER_WORDS and words & _MEMBER_WORDS):
        return "kpj"
    if words & _DATE_WORDS and words & _START_WORDS:
        return "start"
    if words & _STATUS_WORDS:
        return "status"
    if words & _REASON_WORDS:
        return "reason"
    return None


def membership_number(text: str) -> str:
    """A BPJS membership number (KPJ): its 8-13 digits however grouped, or '' if it is none."""
    digits = re.sub(r"\D", "", text)
    return digits if _KPJ.match(digits) else ""


def _kpj_by_content(rows: Sequence[Sequence[Cell]], layout: Layout) -> dict[str, int]:
    """An unnamed column of 8-13 digit numbers beside the NIK is the membership number."""
    body = rows[layout.data_start : layout.data_start + 50]
    for index in layout.extra:
        values = [cell_at(row, index).text for row in body if cell_at(row, index).text]
        if values and all(membership_number(v) for v in values):
            return {"kpj": index}
    return {}


def _title_texts(rows: Sequence[Sequence[Cell]], layout: Layout) -> list[str]:
    """The lines over the table's header: 'DAFTAR TENAGA KERJA YANG DITOLAK'."""
    top = layout.header_row if layout.header_row is not None else layout.data_start
    return [cell.text for row in rows[:top] for cell in row if cell.text]
