"""Makes the layout corpus: village files in the layouts villages really send, written cell by
cell from the descriptions in ../shared/reference/village_formats.md (OpenSID, SIAK, Buku Induk,
Permendagri registers, BNBA, e-RDKK, DTKS, the BPJS upload template, form exports) and from what
clerks do to them, with synthetic people only.

Each row is written with what it is (a person, or why not), so `expected.json` states the truth
of every file independently of the reader: the applicant rows with their NIK, name and birth
date, and every other row under a header with its kind. Run from the repository root:
`.venv/bin/python tests/layouts/make_layouts.py`; the files are committed under files/.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pandas as pd
import xlwt

OUT = Path(__file__).parent / "files"
FIRST = (
    "SITI",
    "SUTRISNO",
    "WARSINI",
    "PAIMIN",
    "SRI",
    "MUHAMMAD",
    "KATMI",
    "SUPARMAN",
    "TUMINAH",
    "AGUS",
    "SUMIATI",
    "JONO",
    "MARSITI",
    "DWI",
    "SAMSUL",
    "YATMI",
)
LAST = (
    "WAHYUNI",
    "HARTONO",
    "LESTARI",
    "SANTOSO",
    "RAHAYU",
    "SUGIARTO",
    "MULYANI",
    "PRASETYO",
    "SUNARTI",
    "WIBOWO",
    "NURHAYATI",
    "SETIAWAN",
)
EXCEL_EPOCH = date(1899, 12, 30)


@dataclass(frozen=True)
class Person:
    nik: str
    kk: str
    name: str
    born: date
    sex: str
    place: str = "TRENGGALEK"


def person(i: int) -> Person:
    """The i-th synthetic person: a Trenggalek NIK whose date part is the birth date."""
    born = date(1960, 1, 1) + timedelta(days=523 * i % 14000)
    female = i % 2 == 1
    kecamatan = 1 + i % 14
    day = born.day + (40 if female else 0)
    nik = f"3503{kecamatan:02d}{day:02d}{born:%m%y}{1 + i % 997:04d}"
    kk = f"3503{kecamatan:02d}{1 + i % 28:02d}{1 + i % 12:02d}09{1 + i // 3 % 9000:04d}"
    name = f"{FIRST[i % len(FIRST)]} {LAST[i * 7 % len(LAST)]}"
    return Person(nik, kk, name.title() if i % 3 else name, born, "P" if female else "L")


@dataclass
class Row:
    """A row as the clerk left it; `kind` is 'pre' for the title and header rows (not accounted:
    they are the table's head, not rows under it), or the row's kind under the header; a person
    row says what the reader must find."""

    kind: str
    cells: list[object]
    nik: str = ""
    name: str = ""
    born: str = ""


@dataclass
class Sheet:
    name: str
    rows: list[Row]
    merges: list[str] = field(default_factory=list)


@dataclass
class Layout:
    file: str
    sheets: list[Sheet]
    status: str = "ok"  # or 'failed': a sheet that must be named, not guessed at
    delimiter: str = ","


def pre(*cells: object) -> Row:
    return Row("pre", list(cells))


def drop(kind: str, *cells: object) -> Row:
    return Row(kind, list(cells))


def who(
    p: Person,
    cells: list[object],
    nik: str | None = None,
    name: str | None = None,
    born: bool = True,
) -> Row:
    """A person's row; `born` False when the layout has no birth date column."""
    birth = p.born.isoformat() if born else ""
    return Row("applicant", cells, p.nik if nik is None else nik, name or p.name, birth)


def as_number(nik: str) -> int:
    """A NIK typed into a number cell: Excel keeps 15 significant digits."""
    return int(nik[:15] + "0")


def damaged(nik: str) -> str:
    return nik[:15] + "0"


def serial(born: date) -> int:
    return (born - EXCEL_EPOCH).days


# The layouts are written as a clerk's rows, one line per row where it fits: kept as written.
# fmt: off

# ---------------------------------------------------------------- exports of village systems


def opensid_export() -> Layout:
    header = ("alamat dusun rw rt nama no_kk nik sex tempatlahir tanggallahir agama_id "
              "pendidikan_kk_id pendidikan_sedang_id pekerjaan_id status_kawin kk_level "
              "warganegara_id ayah_nik nama_ayah ibu_nik nama_ibu golongan_darah_id").split()
    rows = [pre(*header)]
    for i in range(1, 7):
        p, father, mother = person(i), person(i + 100), person(i + 201)
        rows.append(who(p, [
            f"RT {i:03d} RW 002", "KRAJAN", "002", f"{i:03d}", p.name, p.kk, p.nik,
            "2" if p.sex == "P" else "1", p.place, p.born.isoformat(), "1", "5", "", "9", "2",
            "1", "1", father.nik, father.name, mother.nik, mother.name, "13",
        ]))
    return Layout("opensid/penduduk_ngadirenggo.xlsx", [Sheet("Sheet1", rows)])


def opensid_2016() -> Layout:
    header = ["DUSUN", "RW", "RT", "Nama Lengkap", "NO_KK", "NIK", "Jenis Kelamin", "Tempat Lahir",
              "Tanggal Lahir", "Agama", "Pendidikan", "Pekerjaan", "Nama Ayah", "Nama Ibu",
              "Golongan Darah", "JAMKESNAS"]
    rows = [pre(*header)]
    for i in range(10, 16):
        p = person(i)
        rows.append(who(p, [
            "KRAJAN", "1", str(i % 5 + 1), p.name, as_number(p.kk), as_number(p.nik),
            "LAKI-LAKI" if p.sex == "L" else "PEREMPUAN", p.place, p.born.strftime("%d-%m-%Y"),
            "ISLAM", "SD", "PETANI", person(i + 50).name, person(i + 51).name, "-", "",
        ], nik=damaged(p.nik)))
    return Layout("opensid/Data Penduduk Dompyong 2016.xlsx", [Sheet("Penduduk", rows)])


def opensid_program() -> Layout:
    program = [pre("Nama Program", "Bantuan Iuran BPJS Ketenagakerjaan"),
               pre("Sasaran Program", "Penduduk"), pre("Asal Dana", "APBD Kabupaten"),
               pre("Masa Berlaku", "01-01-2027", "31-12-2027")]
    rows = [pre("Peserta", "No. Peserta", "NIK", "Nama", "Tempat Lahir", "Tanggal Lahir", "Alamat")]
    for i in range(20, 25):
        p = person(i)
        rows.append(who(p, [p.nik, f"BPJS-{i:04d}", p.nik, p.name, p.place,
                            p.born.isoformat(), "RT 002 RW 001 KRAJAN"]))
    rows += [
        drop("end", "###"),
        drop("note", "Catatan:"),
        drop("note", "1. Kolom Peserta diisi NIK atau No. KK sesuai sasaran program"),
        drop("note", "2. Tanggal lahir dengan format Y-m-d"),
    ]
    sheets = [Sheet("Program", [Row("pre", r.cells) for r in program]), Sheet("Peserta", rows)]
    return Layout("opensid/format_impor_program_bantuan Kayen.xlsx", sheets)


def siak_export() -> Layout:
    header = ["Nomor KK", "NIK", "Nama Penduduk", "Status", "Tempat Lahir", "Tanggal Lahir",
              "Kelamin", "NIK Ayah", "Ayah", "NIK Ibu", "Ibu", "Status Kawin", "SHDK", "Agama",
              "Kecamatan", "Desa/Kel", "Alamat", "RW", "RT", "Pendidikan", "Pekerjaan"]
    rows = [pre(*header)]
    for i in range(30, 37):
        p, father, mother = person(i), person(i + 300), person(i + 301)
        # SIAK leaves invisible characters inside the ID numbers.
        rows.append(who(p, [
            p.kk + "\u200b", "\u200e" + p.nik, p.name.upper(), "HIDUP", p.place, serial(p.born),
            "Laki-Laki" if p.sex == "L" else "Perempuan", father.nik, father.name, mother.nik,
            mother.name, "KAWIN", "KEPALA KELUARGA", "ISLAM", "POGALAN", "NGULANKULON",
            "DSN KRAJAN", "2", "3", "SLTA", "PETANI/PEKEBUN",
        ], name=p.name.upper()))
    return Layout("siak/Ekspor SIAK Ngulankulon.xlsx", [Sheet("Data", rows)])


def buku_induk_2016() -> Layout:
    rows = [
        pre("BUKU INDUK PENDUDUK WNI"),
        pre("PROVINSI : JAWA TIMUR"),
        pre("KABUPATEN : TRENGGALEK"),
        pre("KECAMATAN : GANDUSARI"),
        pre("DESA/KELURAHAN : SUKOREJO"),
        pre(),
        pre("No", "Nama Lengkap", "NIK", "Tempat dan Tanggal Lahir", None, "JK", "SHDK",
            "Pendidikan", "Pekerjaan"),
        pre(None, None, None, "Tempat Lahir", "Tgl/Bln/Th", None, None, None, None),
        drop("numbering", -1, -2, -3, -4, -5, -6, -7, -8, -9),
    ]
    number = 0
    for family in range(3):
        head = person(40 + family * 3)
        rows.append(drop("separator", f"No. KK : {head.kk}"))
        rows.append(drop("separator", f"Alamat : DSN NGRAYUNG, RT/RW : 00{family + 1}/002"))
        for member in range(2):
            p = person(40 + family * 3 + member)
            number += 1
            rows.append(who(p, [number, p.name, p.nik + "\u00a0", p.place,
                                p.born.strftime("%d/%m/%Y"), p.sex, "ANAK", "SD", "PETANI"]))
    rows += [
        drop("blank"),
        drop("signature", None, None, None, None, None, "Sukorejo, 3 Maret 2026"),
    ]
    rows += [drop("signature", None, None, None, None, None, "KEPALA DESA SUKOREJO")]
    # Row 7's parent spans the birth place and date columns.
    return Layout("buku_induk/BUKU INDUK SUKOREJO.xlsx", [Sheet("BIP", rows, ["D7:E7"])])


def buku_induk_2012() -> Layout:
    """Family blocks from column B: the family's own header and row, then its members'."""
    rows = [pre(None, "BUKU INDUK PENDUDUK DESA MASARAN KECAMATAN MUNJUNGAN"), pre()]
    first = True
    for family in range(3):
        head = person(60 + family * 4)
        block = [
            (None, "NO.KK", None, "NAMA.KK", None, None, "ALAMAT"),
            (None, head.kk, None, head.name, None, None,
             f"DUSUN KRAJAN, RT:00{family + 1}, RW:001, Kodepos:66365"),
        ]
        rows += [pre(*c) if first else drop("parent", *c) for c in block]
        member_header = (None, "NO", "NIK", "NAMA", "JK", "TMPT LHR", "TGL LHR", "AGAMA",
                         "NAMA IBU", "NAMA AYAH")
        rows.append(pre(*member_header) if first else drop("header", *member_header))
        first = False
        for member in range(3):
            p = person(60 + family * 4 + member)
            rows.append(who(p, [None, member + 1, p.nik, p.name, p.sex, p.place,
                                p.born.strftime("%d-%m-%Y"), "ISLAM", "SUMIRAH", "KASMIN"]))
        rows.append(drop("blank"))
    rows.pop()
    return Layout("buku_induk/buku induk masaran 2012.xls", [Sheet("Sheet1", rows)])


def permendagri_register() -> Layout:
    rows = [
        pre("BUKU INDUK PENDUDUK"),
        pre("DESA NGLEBENG KECAMATAN PANGGUL"),
        pre("NOMOR URUT", "NAMA LENGKAP / PANGGILAN", "JENIS KELAMIN", "STATUS PERKAWINAN",
            "TEMPAT & TANGGAL LAHIR", None, "AGAMA", "PENDIDIKAN TERAKHIR", "PEKERJAAN",
            "DAPAT MEMBACA HURUF", "KEWARGANEGARAAN", "ALAMAT LENGKAP", "KEDUDUKAN DLM KELUARGA",
            "NIK", "NOMOR KK", "KET"),
        pre(None, None, None, None, "TEMPAT LAHIR", "TGL", None, None, None, None, None, None, None,
            None, None, None),
        drop("numbering", *range(1, 17)),
    ]
    for i in range(70, 76):
        p = person(i)
        rows.append(who(p, [i - 69, p.name, p.sex, "KAWIN", p.place, p.born, "ISLAM", "SD",
                            "PETANI", "L", "WNI", "DSN KRAJAN", "KK", p.nik, p.kk, ""]))
    return Layout("permendagri/Buku Induk Nglebeng.ods", [Sheet("Buku Induk", rows, ["E3:F3"])])


# --------------------------------------------------------------- other programmes' lists


def bnba_blt() -> Layout:
    header = ["NO", "NIK", "NAMA KEPALA KELUARGA", "JENIS\nKELAMIN", "TANGGAL LAHIR",
              "JUMLAH ANGGOTA\nKELUARGA", "ALAMAT", "RT", "RW", "JENIS PEKERJAAN", "KODE_JP"]
    rows = [pre("BNBA BLT-DD TAHUN 2023"), pre("DESA KAYEN KECAMATAN KARANGAN"), pre(),
            pre(*header), drop("numbering", *range(1, 12))]
    for n, i in enumerate(range(80, 86), start=1):
        p = person(i)
        rows.append(who(p, [n, p.nik, p.name, "L" if p.sex == "L" else "P", p.born, 4,
                            "DSN KAYEN", "001", "002", "PETANI", "1"]))
    rows += [drop("total", None, "JUMLAH", "6 KK")]
    return Layout("bnba/BNBA BLT-DD Kayen.xlsx", [Sheet("BNBA", rows)])


def erdkk() -> Layout:
    header = ["Nama Penyuluh", "Kode Desa", "Kode Kios", "Nama Poktan", "Nama Petani", "KTP",
              "Tempat Lahir", "Tanggal Lahir", "Nama Ibu Kandung", "Alamat", "Subsektor",
              "Nama Desa", "Komoditas MT1", "Luas Lahan (Ha) MT1"]
    rows = [pre(*header)]
    for i in range(90, 96):
        p = person(i)
        rows.append(who(p, ["SUHARTO, SP", "3503052008", "K-0012", "TANI MAKMUR", p.name, p.nik,
                            p.place, p.born.strftime("%d/%m/%Y"), "SUMIYATI", "DSN SUKOREJO",
                            "TANAMAN PANGAN", "SUKOREJO", "TEMBAKAU", "0,25"]))
    return Layout("erdkk/eRDKK Sukorejo Tugu.csv", [Sheet("", rows)], delimiter=";")


def dtks() -> Layout:
    header = ("iddtks|provinsi|kabupaten_kota|kecamatan|desa_kelurahan|alamat|dusun|rt|rw|"
              "nomor_kk|nomor_nik|nama|tanggal_lahir|tempat_lahir|jenis_kelamin|"
              "nama_ibu_kandung|hubungan_keluarga").split("|")
    rows = [pre(*header)]
    for i in range(100, 107):
        p = person(i)
        rows.append(who(p, [f"350312{i:09d}", "JAWA TIMUR", "TRENGGALEK", "POGALAN",
                            "NGULANWETAN", "JL. RAYA, NO 5", "KRAJAN", "001", "002", p.kk, p.nik,
                            p.name, p.born.isoformat(), p.place,
                            "LAKI-LAKI" if p.sex == "L" else "PEREMPUAN", "PAINEM",
                            "KEPALA KELUARGA"]))
    return Layout("dtks/DTKS_NGULANWETAN_2026.txt", [Sheet("", rows)], delimiter="|")


def bpjs_template() -> Layout:
    instructions = [pre("PETUNJUK PENGISIAN"),
                    pre("1. NOMOR_IDENTITAS diisi NIK 16 digit, contoh 3503011205800001"),
                    pre("2. TANGGAL_LAHIR dengan format dd-mm-yyyy")]
    header = ["NAMA_DEPAN", "NAMA_TENGAH", "NAMA_BELAKANG", "GELAR", "TEMPAT_LAHIR",
              "TANGGAL_LAHIR", "NAMA_IBU_KANDUNG", "JENIS_IDENTITAS", "NOMOR_IDENTITAS",
              "MASA_LAKU_IDENTITAS", "JENIS_KELAMIN", "STATUS_KAWIN", "ALAMAT", "KODE_POS",
              "EMAIL", "NOMOR_HP"]
    rows = [pre(*header)]
    for i in range(110, 116):
        p = person(i)
        first, _, last = p.name.partition(" ")
        rows.append(who(p, [first, "", last, "", p.place, p.born.strftime("%d-%m-%Y"),
                            "SUPIYAH", "KTP", p.nik, "SEUMUR HIDUP", p.sex, "K", "DSN KRAJAN",
                            "66372", "", "081234567890"], name=f"{first} {last}"))
    codes = [pre("KODE", "JENIS KELAMIN"), pre("L", "LAKI-LAKI"), pre("P", "PEREMPUAN")]
    return Layout("bpjs/template_upload_tk_watulimo.xlsx",
                  [Sheet("Petunjuk Pengisian", instructions), Sheet("data_tk_baru", rows),
                   Sheet("Kode Data", codes)])


def google_form() -> Layout:
    header = ["Timestamp", "Nama Lengkap (dengan gelar)", "NIK", "Tempat/Tanggal Lahir",
              "Nomer WA", "Dukuh, RT/RW", "Kalurahan"]
    rows = [pre(*header)]
    for i in range(120, 126):
        p = person(i)
        rows.append(who(p, [f"2026/10/{i - 110} 08:1{i % 10}:00", p.name, "'" + p.nik,
                            f"{p.place.title()}, {p.born:%d-%m-%Y}", "081300000000",
                            "Krajan, 01/02", "Ngadirenggo"]))
    return Layout("form/Pendaftaran BPJS TK (Jawaban).csv", [Sheet("", rows)])


# ----------------------------------------------------------------------- clerks' own tables


def semicolon_csv() -> Layout:
    rows = [pre("DAFTAR USULAN DESA MASARAN, KECAMATAN BENDUNGAN, TAHUN 2027"),
            pre("No", "NIK", "Nama", "Tgl. Lahir", "Alamat")]
    for n, i in enumerate(range(130, 135), start=1):
        p = person(i)
        rows.append(who(p, [n, p.nik, p.name, p.born.strftime("%d/%m/%Y"), "Dsn Krajan, RT 01"]))
    return Layout("clerk/usulan masaran bendungan.csv", [Sheet("", rows)], delimiter=";")


def no_header() -> Layout:
    rows = [pre("DAFTAR CALON PESERTA BPJS KETENAGAKERJAAN DESA KAYEN")]
    for n, i in enumerate(range(140, 146), start=1):
        p = person(i)
        rows.append(who(p, [n, p.nik, p.name, p.place, p.born.strftime("%d-%m-%Y"), p.sex,
                            "DSN KRAJAN"]))
    return Layout("clerk/tanpa judul kolom.xlsx", [Sheet("Sheet1", rows)])


def cover_letter() -> Layout:
    letter = ["PEMERINTAH KABUPATEN TRENGGALEK", "KECAMATAN KARANGAN", "DESA KAYEN", "",
              "Nomor : 400/123/406.12/2026", "Lampiran : 1 berkas",
              "Perihal : Usulan Bantuan Iuran BPJS Ketenagakerjaan", "",
              "Kepada Yth. Kepala Dinas Tenaga Kerja", "di Trenggalek", "",
              "Dengan hormat, bersama ini kami sampaikan usulan calon peserta",
              "bantuan iuran BPJS Ketenagakerjaan sebagai berikut:"] + [""] * 6
    rows = [pre(line) for line in letter]
    rows.append(pre("NO", "NIK (16 digit)", "Nama Lengkap (sesuai KTP)", "Tanggal Lahir"))
    for n, i in enumerate(range(150, 154), start=1):
        p = person(i)
        rows.append(who(p, [n, p.nik, p.name, p.born.strftime("%d-%m-%Y")]))
    rows += [drop("blank"), drop("signature", None, None, "Kayen, 12 Oktober 2026"),
             drop("signature", None, None, "Kepala Desa Kayen")]
    return Layout("clerk/Surat Usulan Kayen.xlsx", [Sheet("Surat", rows)])


def offset_table() -> Layout:
    """The table starts in column F, row 8; typos and spaced letters in the headers."""
    pad = [None] * 5
    rows = [pre(), pre(), pre(*pad, "USULAN PESERTA"), pre(*pad, "DESA NGULANKULON"), pre(),
            pre(), pre(),
            pre(*pad, "N O", "N I K", "N A M A", "Tangal Lahir", "PEKERJAN")]
    for n, i in enumerate(range(160, 165), start=1):
        p = person(i)
        rows.append(who(p, [*pad, n, p.nik, p.name, p.born.isoformat(), "BURUH TANI"]))
    return Layout("clerk/ngulankulon geser.xlsx", [Sheet("Sheet1", rows)])


def two_tables() -> Layout:
    """One sheet, two villages' tables, each with its title and its own column order."""
    rows = [pre("USULAN KECAMATAN POGALAN"), pre("DESA NGULANKULON"),
            pre("NO", "NIK", "NAMA", "TGL LAHIR")]
    for n, i in enumerate(range(170, 173), start=1):
        p = person(i)
        rows.append(who(p, [n, p.nik, p.name, p.born.strftime("%d-%m-%Y")]))
    rows += [drop("total", None, "JUMLAH", "3 orang"), drop("blank"),
             drop("title", "DESA NGULANWETAN"),
             drop("header", "NO", "NAMA PESERTA", "TANGGAL LAHIR", "NIK KTP")]
    for n, i in enumerate(range(173, 177), start=1):
        p = person(i)
        rows.append(who(p, [n, p.name, p.born.strftime("%d-%m-%Y"), p.nik]))
    return Layout("clerk/rekap pogalan dua desa.xlsx", [Sheet("Usulan", rows)])


def total_in_nik_column() -> Layout:
    rows = [pre("DAFTAR NAMA CALON PENERIMA"), pre("NO", "NIK KPM", "NAMA KPM", "L/P", "RT/RW")]
    for n, i in enumerate(range(180, 185), start=1):
        p = person(i)
        cells = [n, as_number(p.nik), p.name, p.sex, "003/001"]
        rows.append(who(p, cells, nik=damaged(p.nik), born=False))
    rows += [
        drop("total", None, "5 orang", None, None),
        drop("blank"),
        drop("note", "Keterangan:"),
        drop("note", "- NIK sesuai KTP elektronik"),
        drop("note", "- Data diverifikasi oleh operator desa"),
    ]
    return Layout("clerk/KPM Dompyong.xls", [Sheet("Sheet1", rows)])


def nik_and_kk_without_headers() -> Layout:
    """Two NIK-like columns, neither headed, both unique per row: the reader must not guess."""
    rows = [pre("No", "Nomor 1", "Nomor 2", "Nama")]
    for n, i in enumerate(range(190, 194), start=1):
        p = person(i)
        rows.append(drop("unread", n, p.nik, person(i + 500).nik, p.name))
    return Layout("clerk/dua kolom nomor.xlsx", [Sheet("Sheet1", rows)], status="failed")


LAYOUTS = (
    opensid_export, opensid_2016, opensid_program, siak_export, buku_induk_2016, buku_induk_2012,
    permendagri_register, bnba_blt, erdkk, dtks, bpjs_template, google_form, semicolon_csv,
    no_header, cover_letter, offset_table, two_tables, total_in_nik_column,
    nik_and_kk_without_headers,
)


# fmt: on


# --------------------------------------------------------------------------------- writers


def write(layout: Layout) -> None:
    path = OUT / layout.file
    path.parent.mkdir(parents=True, exist_ok=True)
    suffix = path.suffix
    if suffix in (".csv", ".txt"):
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, delimiter=layout.delimiter)
            writer.writerows([_text(v) for v in row.cells] for row in layout.sheets[0].rows)
    elif suffix == ".xlsx":
        _write_xlsx(layout, path)
    elif suffix == ".xls":
        _write_xls(layout, path)
    else:
        _write_ods(layout, path)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    return str(value)


def _write_xlsx(layout: Layout, path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for spec in layout.sheets:
        sheet = workbook.create_sheet(spec.name)
        for row in spec.rows:
            sheet.append(row.cells)
        for merge in spec.merges:
            sheet.merge_cells(merge)
    workbook.save(path)


def _write_xls(layout: Layout, path: Path) -> None:
    workbook = xlwt.Workbook(encoding="utf-8")
    for spec in layout.sheets:
        sheet = workbook.add_sheet(spec.name)
        for r, row in enumerate(spec.rows):
            for c, value in enumerate(row.cells):
                if value is not None:
                    sheet.write(r, c, value)
    workbook.save(str(path))


def _write_ods(layout: Layout, path: Path) -> None:
    with pd.ExcelWriter(path, engine="odf") as writer:
        for spec in layout.sheets:
            width = max(len(row.cells) for row in spec.rows)
            cells = [row.cells + [None] * (width - len(row.cells)) for row in spec.rows]
            frame = pd.DataFrame(cells, dtype=object)
            frame.to_excel(writer, sheet_name=spec.name, header=False, index=False)


def expected(layout: Layout) -> dict[str, object]:
    sheets = {}
    for spec in layout.sheets:
        people = [
            [n, r.nik, r.name, r.born] for n, r in enumerate(spec.rows, 1) if r.kind == "applicant"
        ]
        others = [
            [n, r.kind] for n, r in enumerate(spec.rows, 1) if r.kind not in ("pre", "applicant")
        ]
        if people or others:
            sheets[spec.name] = {"applicants": people, "dropped": others}
    return {"status": layout.status, "sheets": sheets}


def main() -> None:
    truth = {}
    for make in LAYOUTS:
        layout = make()
        write(layout)
        truth[layout.file] = expected(layout)
    (OUT.parent / "expected.json").write_text(
        json.dumps(truth, indent=1, ensure_ascii=False) + "\n"
    )


if __name__ == "__main__":
    main()
