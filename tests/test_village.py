import pytest

from bantuan_iuran.ingest.village import identify_village


@pytest.mark.parametrize(
    ("texts", "context", "kode_desa"),
    [
        (["DAFTAR CALON PENERIMA DESA BESUKI KECAMATAN PANGGUL KABUPATEN TRENGGALEK"], [],
         "3503012001"),
        (["DESA BESUKI KEC. MUNJUNGAN"], [], "3503022009"),
        (["DS_BESUKI_2027", "PANGGUL"], [], "3503012001"),
        (["karangan", "KARANGAN"], [], "3503062003"),
        (["Desa Ngulangkulon"], [], "3503122005"),  # older spelling of Ngulankulon
        (["Usulan BPJS Karang Anyar Kec Gandusari"], [], "3503102008"),
        (["Ds. Kayen"], [], "3503062001"),
        (["Kayen"], ["KARANGAN"], "3503062001"),
    ],
)  # fmt: skip
def test_village_found_from_titles_names_and_folders(texts, context, kode_desa) -> None:
    assert identify_village(texts, context).kode_desa == kode_desa


def test_same_name_in_two_kecamatan_without_a_hint_is_ambiguous() -> None:
    match = identify_village(["Desa Besuki"])
    assert match.kode_desa == ""
    assert "ambiguous" in match.problem and "Panggul" in match.problem


def test_unknown_village_is_reported() -> None:
    match = identify_village(["data_calon_penerima_final_rev2"])
    assert (match.kode_desa, match.problem) == (
        "",
        "village not recognised from the file name, title or folder",
    )


def test_village_outside_the_named_kecamatan_is_not_guessed() -> None:
    assert identify_village(["DESA KAYEN KECAMATAN PANGGUL"]).kode_desa == ""
