"""A list sent again replaces another only on evidence, and only for its own village."""

from __future__ import annotations

import pandas as pd
import pytest

from bantuan_iuran.errors import ConfigError
from bantuan_iuran.ingest.revisions import find_replacements, revision_number

BESUKI, TERBIS, BARUHARJO = "3503012001", "3503012002", "3503132013"
NAMES = ["SITI AMINAH", "BUDI SANTOSO", "SRI WAHYUNI", "JOKO PURNOMO", "SUTRISNO", "WARSITO",
         "MARYAM", "AGUS SALIM", "RINA MARLINA", "HADI PRAYITNO"]  # fmt: skip


def _rows(*files: tuple[str, str, list[int]]) -> pd.DataFrame:
    """Rows of files: (file, village code, which of NAMES it lists)."""
    return pd.DataFrame(
        [
            {"source_file": file, "kode_desa": kode, "nik_raw": f"35030101018000{n:02d}",
             "name": NAMES[n]}
            for file, kode, people in files
            for n in people
        ]
    )  # fmt: skip


def _pairs(found) -> list[tuple[str, str, str]]:
    return [(r.old, r.new, r.kode_desa) for r in found]


def test_a_recap_of_several_villages_loses_only_the_revised_villages_rows() -> None:
    rows = _rows(
        ("PANGGUL/rekap kecamatan.xlsx", BESUKI, [0, 1, 2, 3]),
        ("PANGGUL/rekap kecamatan.xlsx", TERBIS, [7, 8]),
        ("PANGGUL/Besuki revisi.xlsx", BESUKI, [0, 1, 2, 4]),
    )
    found, possible = find_replacements(rows)
    assert _pairs(found) == [("PANGGUL/rekap kecamatan.xlsx", "PANGGUL/Besuki revisi.xlsx", BESUKI)]
    assert possible == []


def test_two_supplementary_lists_sharing_a_few_names_are_both_read() -> None:
    rows = _rows(
        ("PANGGUL/Besuki.xlsx", BESUKI, [0, 1, 2, 3, 4, 5]),
        ("PANGGUL/Besuki tambahan.xlsx", BESUKI, [4, 5, 6]),
    )
    assert find_replacements(rows) == ([], [])


def test_lists_alike_without_evidence_are_both_read_and_reported_with_the_rule_to_paste() -> None:
    rows = _rows(("a/usulan.xlsx", BESUKI, [0, 1, 2, 3]), ("b/data.xlsx", BESUKI, [0, 1, 2, 3]))
    found, possible = find_replacements(rows)
    assert found == []
    assert [(p.first, p.second) for p in possible] == [("a/usulan.xlsx", "b/data.xlsx")]
    assert 'new = "b/data.xlsx"' in possible[0].rule and 'old = "a/usulan.xlsx"' in possible[0].rule


def test_equal_revisions_and_dates_are_a_tie_said_as_a_tie() -> None:
    rows = _rows(
        ("PANGGUL/Besuki revisi 20-01-2027.xlsx", BESUKI, [0, 1, 2]),
        ("PANGGUL/Besuki perbaikan 20-01-2027.xlsx", BESUKI, [0, 1, 2]),
    )
    found, possible = find_replacements(rows)
    assert found == [] and len(possible) == 1 and "tie" in possible[0].why


def test_a_higher_revision_number_or_a_later_date_decides() -> None:
    rows = _rows(
        ("PANGGUL/Besuki revisi.xlsx", BESUKI, [0, 1, 2]),
        ("PANGGUL/Besuki revisi 2.xlsx", BESUKI, [0, 1, 3]),
    )
    assert _pairs(find_replacements(rows)[0]) == [
        ("PANGGUL/Besuki revisi.xlsx", "PANGGUL/Besuki revisi 2.xlsx", BESUKI)
    ]
    rows = _rows(
        ("PANGGUL/Besuki revisi 2027-01-25.xlsx", BESUKI, [0, 1, 2]),
        ("PANGGUL/Besuki revisi 2027-01-20.xlsx", BESUKI, [0, 1, 3]),
    )
    assert _pairs(find_replacements(rows)[0]) == [
        ("PANGGUL/Besuki revisi 2027-01-20.xlsx", "PANGGUL/Besuki revisi 2027-01-25.xlsx", BESUKI)
    ]


def test_a_village_whose_name_starts_with_a_revision_word_keeps_its_revision_word() -> None:
    assert revision_number("Baruharjo.xlsx", "Baruharjo") == 0
    assert revision_number("BARUHARJO revisi.xlsx", "Baruharjo") == 1
    rows = _rows(
        ("DURENAN/BARUHARJO.xlsx", BARUHARJO, [0, 1, 2]),
        ("DURENAN/BARUHARJO revisi.xlsx", BARUHARJO, [0, 1, 3]),
    )
    assert _pairs(find_replacements(rows)[0]) == [
        ("DURENAN/BARUHARJO.xlsx", "DURENAN/BARUHARJO revisi.xlsx", BARUHARJO)
    ]


def test_a_revision_word_without_the_village_in_the_name_is_no_evidence() -> None:
    rows = _rows(("PANGGUL/Besuki.xlsx", BESUKI, [0, 1, 2]), ("revisi.xlsx", BESUKI, [0, 1, 2]))
    found, possible = find_replacements(rows)
    assert found == [] and len(possible) == 1


def test_the_analysts_rule_decides_and_a_rule_that_matches_nothing_is_an_error() -> None:
    rows = _rows(("a/usulan.xlsx", BESUKI, [0, 1, 2]), ("b/data.xlsx", BESUKI, [0, 1, 3]))
    found, _ = find_replacements(rows, [("b/*", "a/usulan.xlsx")])
    assert _pairs(found) == [("a/usulan.xlsx", "b/data.xlsx", BESUKI)]
    with pytest.raises(ConfigError, match="matches no village list"):
        find_replacements(rows, [("c/*", "a/usulan.xlsx")])


def test_a_title_that_names_the_village_and_a_revision_is_evidence_too() -> None:
    rows = _rows(("a/usulan.xlsx", BESUKI, [0, 1, 2]), ("b/data.xlsx", BESUKI, [0, 1, 3]))
    titles = {"b/data.xlsx": "DAFTAR USULAN DESA BESUKI KEC. PANGGUL (REVISI)",
              "a/usulan.xlsx": "DAFTAR USULAN DESA BESUKI KEC. PANGGUL"}  # fmt: skip
    found, possible = find_replacements(rows, titles=titles)
    assert _pairs(found) == [("a/usulan.xlsx", "b/data.xlsx", BESUKI)] and possible == []
