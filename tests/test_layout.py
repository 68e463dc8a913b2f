"""Finding the table: header row, merged sub-headers, columns by content, rows by kind."""

from bantuan_iuran.ingest.cells import Cell
from bantuan_iuran.ingest.layout import Layout, LayoutProblem, column_letter, find_layout
from bantuan_iuran.ingest.rows import read_table, row_kind

NIK_A = "3503011205700001"
NIK_B = "3503015205700002"
KK_A = "3503010101090001"


def _rows(*rows: list[str]) -> list[list[Cell]]:
    return [[Cell(v) for v in row] for row in rows]


def _layout(*rows: list[str]) -> Layout:
    layout = find_layout(_rows(*rows), {})
    assert isinstance(layout, Layout), layout
    return layout


def test_header_found_below_title_rows_with_varied_names() -> None:
    layout = _layout(
        ["DAFTAR USULAN"],
        [""],
        ["No", "NOMOR INDUK KEPENDUDUKAN", "Nama Peserta", "Jenis Kelamin", "Keterangan"],
        ["1", NIK_A, "Budi", "L", ""],
    )
    assert (layout.header_row, layout.data_start) == (2, 3)
    assert layout.columns == {1: "nik", 2: "name", 3: "sex"}
    assert layout.extra == {0: "No", 4: "Keterangan"}
    assert layout.found["nik"].how == "header+content"


def test_header_far_down_under_a_cover_letter() -> None:
    cover = [[f"Baris surat {i}"] for i in range(19)]
    layout = _layout(*cover, ["NIK (16 digit)", "Nama Lengkap (sesuai KTP)"], [NIK_A, "Budi"])
    assert (layout.header_row, layout.columns) == (19, {0: "nik", 1: "name"})


def test_no_table_in_the_first_sixty_rows() -> None:
    assert find_layout(_rows(*([["x"]] * 60), ["NIK", "NAMA"], [NIK_A, "Budi"]), {}) is None


def test_user_config_names_win_over_the_words(tmp_path) -> None:
    from bantuan_iuran.config import load_settings
    from bantuan_iuran.ingest.headers import user_header_fields

    path = tmp_path / "bantuan.toml"
    path.write_text('[headers]\nnik = ["NOREG"]\n', "utf-8")
    fields = user_header_fields(load_settings(path).headers)
    layout = find_layout(_rows(["NOREG", "NAMA"], [NIK_A, "Budi"]), fields)
    assert isinstance(layout, Layout) and layout.columns == {0: "nik", 1: "name"}


def test_merged_parent_header_takes_the_sub_header_columns() -> None:
    layout = _layout(
        ["No", "Nama Lengkap", "NIK", "Tempat dan Tanggal Lahir", "", "JK"],
        ["", "", "", "Tempat Lahir", "Tgl/Bln/Th", ""],
        ["-1", "-2", "-3", "-4", "-5", "-6"],
        ["1", "Budi", NIK_A, "Trenggalek", "12-05-1970", "L"],
    )
    assert layout.data_start == 2
    assert layout.columns == {1: "name", 2: "nik", 3: "birth_place", 4: "birth_date", 5: "sex"}


def test_a_first_data_row_without_nik_is_not_a_sub_header() -> None:
    layout = _layout(
        ["NO", "NIK", "NAMA", "Tempat Lahir", "Tanggal Lahir", "Alamat"],
        ["1", "", "SUCIATI", "Trenggalek", "03-12-1978", "Dsn Karang"],
    )
    assert layout.data_start == 1


def test_table_without_header_is_read_by_content() -> None:
    layout = _layout(
        ["DAFTAR USULAN DESA KAYEN"],
        ["1", NIK_A, "BUDI SANTOSO", "TRENGGALEK", "12-05-1970", "L"],
        ["2", NIK_B, "SITI AMINAH", "TRENGGALEK", "12-05-1970", "P"],
        ["3", "3503014101800003", "SRI WAHYUNI", "TRENGGALEK", "01-01-1980", "P"],
    )
    assert layout.header_row is None and layout.data_start == 1
    assert layout.columns == {1: "nik", 2: "name", 4: "birth_date", 5: "sex"}
    assert layout.found["nik"].how == "content" and layout.by_content


def test_header_that_names_no_nik_column_is_completed_by_content() -> None:
    layout = _layout(["No", "ID", "Nama", "Alamat"], ["1", NIK_A, "Budi", "Dsn Krajan"])
    assert layout.columns == {1: "nik", 2: "name", 3: "address"}
    assert layout.describe().startswith('nik=B "ID" content; name=C "Nama" header+content')


def test_a_family_card_column_beside_an_unnamed_nik_column_is_told_apart() -> None:
    layout = _layout(
        ["No", "Nomor A", "Nomor B", "Nama"],
        ["1", KK_A, NIK_A, "Budi"],
        ["2", KK_A, NIK_B, "Siti"],
    )
    assert layout.index_of("nik") == 2 and layout.index_of("kk") == 1


def test_two_unnamed_nik_columns_are_not_guessed() -> None:
    found = find_layout(
        _rows(["No", "Nomor A", "Nomor B", "Nama"], ["1", NIK_A, NIK_B, "Budi"]), {}
    )
    assert isinstance(found, LayoutProblem)
    assert 'B "Nomor A" and C "Nomor B"' in found.message
    assert found.header_row == 0 and found.columns == {"name": 3}


def test_a_parents_nik_column_is_never_the_persons() -> None:
    layout = _layout(["NIK Ayah", "NIK", "Nama", "Nama Ibu"], [NIK_B, NIK_A, "Budi", "Siti"])
    assert layout.columns == {1: "nik", 2: "name"}


def test_a_split_name_is_one_name() -> None:
    from bantuan_iuran.ingest.rows import name_text

    rows = _rows(
        ["NAMA_DEPAN", "NAMA_TENGAH", "NAMA_BELAKANG", "NOMOR_IDENTITAS"],
        ["Budi", "", "Santoso", NIK_A],
    )
    layout = find_layout(rows, {})
    assert isinstance(layout, Layout)
    assert name_text(rows[1], layout) == "Budi Santoso"


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]


def test_rows_that_are_not_applicants() -> None:
    layout = _layout(["NO", "NIK", "NAMA"], ["1", NIK_A, "Budi"])
    kinds = [
        row_kind(row, layout, {})
        for row in _rows(
            ["", "", ""],
            ["1", "2", "3"],
            ["(1)", "(2)", "(3)"],
            ["-1", "-2", "-3"],
            ["NO", "NIK", "NAMA"],
            ["", "JUMLAH", "125 orang"],
            ["", "131 orang", ""],
            ["", "", "Mengetahui,"],
            ["", "", "Kepala Desa Kayen"],
            ["No. KK : " + KK_A],
            ["Alamat : Dsn Krajan, RT/RW : 003/001"],
            ["###"],
            ["Catatan: kolom NIK wajib diisi"],
            ["", "", "DUSUN KRAJAN"],
            ["1", NIK_A, "Budi"],
            ["2", "", "Siti"],
        )
    ]
    assert kinds == [
        "blank", "numbering", "numbering", "numbering", "header", "total", "total", "signature",
        "signature", "separator", "separator", "end", "note", "title", "applicant", "applicant",
    ]  # fmt: skip


def test_family_blocks_give_their_kk_and_are_not_people() -> None:
    rows = _rows(
        ["NO.KK", "", "NAMA.KK", "ALAMAT"],
        [KK_A, "", "SUPARMAN", "DUSUN KRAJAN, RT:001, RW:001"],
        ["NO", "NIK", "NAMA", "JK"],
        ["1", NIK_A, "SUPARMAN", "L"],
        ["2", NIK_B, "SITI", "P"],
        ["NO.KK", "", "NAMA.KK", "ALAMAT"],
        ["3503010101090002", "", "PAIMIN", "DUSUN BARAT"],
        ["NO", "NIK", "NAMA", "JK"],
        ["1", "3503010101700003", "PAIMIN", "L"],
    )
    layout = find_layout(rows, {})
    assert isinstance(layout, Layout) and layout.header_row == 2
    _, calls = read_table(rows, layout, {})
    assert [(c.index, c.kind) for c in calls] == [
        (3, "applicant"), (4, "applicant"), (5, "parent"), (6, "parent"), (7, "header"),
        (8, "applicant"),
    ]  # fmt: skip
    assert [c.family_kk for c in calls if c.kind == "applicant"] == [KK_A, KK_A, "3503010101090002"]


def test_a_second_table_with_its_own_title_and_columns() -> None:
    rows = _rows(
        ["NIK", "NAMA"],
        [NIK_A, "Budi"],
        [],
        ["DESA NGULANKULON"],
        ["NO", "NAMA", "NIK"],
        ["1", "Siti", NIK_B],
    )
    layout = find_layout(rows, {})
    assert isinstance(layout, Layout)
    blocks, calls = read_table(rows, layout, {})
    assert [b.layout.columns for b in blocks] == [{0: "nik", 1: "name"}, {1: "name", 2: "nik"}]
    assert blocks[1].title == "DESA NGULANKULON"
    assert [(c.index, c.kind, c.block) for c in calls] == [
        (1, "applicant", 0), (2, "blank", 0), (3, "title", 0), (4, "header", 1),
        (5, "applicant", 1),
    ]  # fmt: skip
