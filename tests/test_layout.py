from bantuan_iuran.ingest.cells import Cell
from bantuan_iuran.ingest.layout import alias_lookup, classify_row, find_layout


def _rows(*rows: list[str]) -> list[list[Cell]]:
    return [[Cell(v) for v in row] for row in rows]


def test_header_found_below_title_rows_with_varied_names(settings) -> None:
    lookup = alias_lookup(settings.headers)
    rows = _rows(
        ["DAFTAR USULAN"],
        [""],
        ["No", "NOMOR INDUK KEPENDUDUKAN", "Nama Peserta", "Jenis Kelamin", "Keterangan"],
    )
    layout = find_layout(rows, lookup)
    assert layout is not None
    assert (layout.header_row, layout.data_start) == (2, 3)
    assert layout.columns == {1: "nik", 2: "name", 3: "sex"}
    assert layout.extra == {0: "No", 4: "Keterangan"}


def test_no_header_in_the_first_fifteen_rows(settings) -> None:
    lookup = alias_lookup(settings.headers)
    rows = _rows(*([["x"]] * 15), ["NIK", "NAMA"])
    assert find_layout(rows, lookup) is None


def test_user_config_aliases_extend_the_defaults(tmp_path) -> None:
    from bantuan_iuran.config import load_settings

    path = tmp_path / "bantuan.toml"
    path.write_text('[headers]\nnik = ["KTP NO"]\n', "utf-8")
    settings = load_settings(path)
    assert "NIK" in settings.headers["nik"] and "KTP NO" in settings.headers["nik"]
    layout = find_layout(_rows(["KTP NO", "NAMA"]), alias_lookup(settings.headers))
    assert layout is not None and layout.columns == {0: "nik", 1: "name"}


def test_rows_that_are_not_applicants(settings) -> None:
    lookup = alias_lookup(settings.headers)
    layout = find_layout(_rows(["NO", "NIK", "NAMA"]), lookup)
    assert layout is not None
    kinds = [
        classify_row(row, layout, lookup)
        for row in _rows(
            ["", "", ""],
            ["1", "2", "3"],
            ["NO", "NIK", "NAMA"],
            ["", "JUMLAH", "125 orang"],
            ["", "", "Mengetahui,"],
            ["", "", "Kepala Desa Kayen"],
            ["1", "3503011205700001", "Budi"],
            ["2", "", "Siti"],
        )
    ]
    assert kinds == [
        "blank", "numbering", "header", "total", "signature", "signature", "applicant", "applicant"
    ]  # fmt: skip
