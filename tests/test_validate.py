"""Validate: one small hand-made case per reason code, then the accuracy on a generated batch."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from bantuan_iuran.config import load_settings
from bantuan_iuran.ingest import find_source_files, run_ingest
from bantuan_iuran.registry import RegistryExtract, read_enrolled, read_registry
from bantuan_iuran.validate import (
    FIRST_PASS_FIELDS,
    first_registry_keys,
    kecamatan_counts,
    normalized_rows,
    reason_counts,
    run_validate,
    second_registry_keys,
    variant_keys,
)
from helpers import ingested_frame, registry_frame

BUDI = {"NIK": "3503011205800001", "NO_KK": "3503010101105001", "NAMA_LGKP": "BUDI SANTOSO",
        "TGL_LHR": "1980-05-12"}  # fmt: skip
SITI = {"NIK": "3503015506820001", "NO_KK": "3503010101105001", "NAMA_LGKP": "SITI AMINAH",
        "TGL_LHR": "1982-06-15", "JENIS_KLMIN": "PEREMPUAN"}  # fmt: skip
# Born the same day in the same kecamatan as Budi: his NIK is one digit from Budi's.
BUDI_NEIGHBOUR = {"NIK": "3503011205800002", "NO_KK": "3503010101105002",
                  "NAMA_LGKP": "JOKO PURNOMO", "TGL_LHR": "1980-05-12"}  # fmt: skip


def _validate(rows, people=(BUDI, SITI), enrolled=(), settings=None):
    settings = settings or load_settings()
    registry = registry_frame(list(people), settings)
    enrolled_frame = pd.DataFrame({"nik": pd.Series(list(enrolled), dtype="str")})
    return run_validate(ingested_frame(rows), registry, enrolled_frame, settings).validated


def _one(row, **kwargs) -> pd.Series:
    return _validate([row], **kwargs).iloc[0]


def test_clean_row_is_eligible_and_gaps_are_filled_from_the_registry() -> None:
    row = _one({"nik_raw": "3503 0112 0580 0001", "name": "Boedi Santoso"})
    assert (row["status"], row["reasons"]) == ("eligible", "")
    assert (row["nik"], row["birth_date"], row["birth_place"]) == (
        BUDI["NIK"],
        "1980-05-12",
        "TRENGGALEK",
    )
    assert (row["nik_region"], row["nik_birth_date"], row["nik_sex"]) == (
        "350301",
        "1980-05-12",
        "L",
    )


@pytest.mark.parametrize(
    ("row", "reason", "suggested"),
    [
        ({"nik_raw": "", "name": "Budi Santoso", "birth_date": "12-05-1980"},
         "NIK_MISSING", BUDI["NIK"]),
        ({"nik_raw": "350301120580001", "name": "Budi Santoso", "birth_date": "12-05-1980"},
         "NIK_FORMAT", BUDI["NIK"]),
        ({"nik_raw": "3503991205800001", "name": "Budi Santoso", "birth_date": "12-05-1980"},
         "NIK_INVALID", BUDI["NIK"]),
        ({"nik_raw": "3503011205800000", "nik_is_number": True, "name": "Budi Santoso"},
         "NIK_EXCEL_ROUNDED", BUDI["NIK"]),
        ({"nik_raw": "3.50301E+15", "name": "Budi Santoso", "birth_date": "12/05/1980"},
         "NIK_EXCEL_ROUNDED", BUDI["NIK"]),
        ({"nik_raw": "3503010101105001", "name": "Siti Aminah"}, "NIK_IS_KK", SITI["NIK"]),
        ({"nik_raw": "3503011205800010", "name": "Budi Santoso"}, "NIK_NOT_FOUND", BUDI["NIK"]),
        ({"nik_raw": "3503011250800001", "name": "Budi Santoso"}, "NIK_INVALID", BUDI["NIK"]),
        ({"nik_raw": BUDI["NIK"], "name": "Hj. Siti Aminah"}, "NAME_MISMATCH", SITI["NIK"]),
        ({"nik_raw": BUDI["NIK"], "name": "Budi Santoso", "birth_date": "13-05-1980"},
         "BIRTHDATE_MISMATCH", ""),
        ({"nik_raw": BUDI["NIK"], "name": "Budi Santoso", "birth_date": "31/02/1980"},
         "BIRTHDATE_INVALID", ""),
        ({"nik_raw": BUDI["NIK"], "name": ""}, "NAME_MISSING", ""),
        ({"nik_raw": BUDI["NIK"], "name": "Budi Santoso", "kode_desa": ""},
         "VILLAGE_UNKNOWN", ""),
    ],
)  # fmt: skip
def test_needs_fix_reasons_and_suggestions(row, reason: str, suggested: str) -> None:
    result = _one(row)
    assert (result["status"], result["reasons"], result["nik_suggested"]) == (
        "needs_fix",
        reason,
        suggested,
    )


def test_a_number_cell_ending_in_zero_held_under_that_name_is_fine() -> None:
    ten = {**BUDI, "NIK": "3503011205800010"}
    row = _one({"nik_raw": ten["NIK"], "nik_is_number": True, "name": "Budi"}, people=[ten])
    # Held under another name: the 16th digit may be what Excel destroyed.
    assert row["reasons"] == "NIK_EXCEL_ROUNDED"
    row = _one({"nik_raw": ten["NIK"], "nik_is_number": True, "name": "Budi Santoso"},
               people=[ten])  # fmt: skip
    assert row["status"] == "eligible"


def test_look_alike_one_digit_away_is_never_suggested() -> None:
    """Rudi is absent from the registry; Budi's neighbour holds the NIK one digit from his."""
    row = _one(
        {"nik_raw": "3503011205800003", "name": "Rudi Hartono", "birth_date": "12-05-1980"},
        people=[BUDI, BUDI_NEIGHBOUR],
    )
    assert (row["reasons"], row["nik_suggested"]) == ("NIK_NOT_FOUND", "")


def test_several_candidates_give_no_suggestion_and_say_so() -> None:
    twin = {**BUDI, "NIK": "3503011205800003", "NO_KK": "3503010101105003"}
    row = _one({"nik_raw": "", "name": "Budi Santoso", "birth_date": "12-05-1980"},
               people=[BUDI, twin])  # fmt: skip
    assert row["nik_suggested"] == ""
    assert "2 kandidat" in row["suggestion_basis"]


def test_a_spouse_name_behind_a_nik_is_vetoed_even_when_everything_else_agrees() -> None:
    row = _one({"nik_raw": SITI["NIK"], "name": "Sri Aminah", "birth_date": "15-06-1982"})
    assert row["status"] == "needs_fix" and row["reasons"] == "NAME_MISMATCH"


@pytest.mark.parametrize(
    ("person", "reason"),
    [
        ({**BUDI, "TGL_MATI": "2025-01-02"}, "DECEASED"),
        ({**BUDI, "NO_KAB": "4", "NO_KEC": "1", "NO_KEL": "2001"}, "OUT_OF_AREA"),
        ({**BUDI, "TGL_LHR": "1950-05-12", "NIK": "3503011205500001"}, "AGE"),
        ({**BUDI, "TGL_LHR": "2010-05-12", "NIK": "3503011205100001"}, "AGE"),
        ({**BUDI, "JENIS_PKRJN": "PEGAWAI NEGERI SIPIL (PNS)"}, "EXCLUDED_OCCUPATION"),
        ({**BUDI, "JENIS_PKRJN": "KEPOLISIAN RI"}, "EXCLUDED_OCCUPATION"),
    ],
)
def test_ineligible_reasons(person, reason: str) -> None:
    row = _one({"nik_raw": person["NIK"], "name": "Budi Santoso"}, people=[person])
    assert (row["status"], row["reasons"]) == ("ineligible", reason)


def test_age_bounds_are_inclusive_on_the_first_of_january() -> None:
    settings = load_settings()
    at_65 = {**BUDI, "TGL_LHR": "1962-01-01", "NIK": "3503010101620001"}
    at_64 = {**BUDI, "TGL_LHR": "1962-01-02", "NIK": "3503010201620001"}
    rows = _validate(
        [{"nik_raw": p["NIK"], "name": "Budi Santoso"} for p in (at_65, at_64)],
        people=[at_65, at_64],
        settings=settings,
    )
    assert settings.programme.year == 2027
    assert rows["status"].tolist() == ["eligible", "eligible"]


def test_already_enrolled() -> None:
    row = _one({"nik_raw": BUDI["NIK"], "name": "Budi Santoso"}, enrolled=[BUDI["NIK"]])
    assert (row["status"], row["reasons"]) == ("ineligible", "ALREADY_ENROLLED")


def test_duplicate_keeps_the_listing_from_the_home_village() -> None:
    rows = _validate(
        [
            {"nik_raw": BUDI["NIK"], "name": "Budi Santoso", "kode_desa": "3503012002",
             "source_file": "PANGGUL/Desa Terbis.xlsx"},
            {"nik_raw": BUDI["NIK"], "name": "Budi Santoso", "kode_desa": "3503012001"},
            {"nik_raw": BUDI["NIK"], "name": "Budi Santoso", "kode_desa": "3503012001"},
        ]
    )  # fmt: skip
    assert rows["status"].tolist() == ["ineligible", "eligible", "ineligible"]
    assert rows["reasons"].tolist() == ["DUPLICATE", "", "DUPLICATE"]
    assert rows["reason_detail"].iloc[0] == "dipertahankan: PANGGUL/Desa Besuki.xlsx baris 6"


def test_any_ineligible_code_outweighs_a_needs_fix_code() -> None:
    dead = {**BUDI, "TGL_MATI": "2025-01-02"}
    row = _one({"nik_raw": BUDI["NIK"], "name": "Budi Santoso", "birth_date": "01-01-1970"},
               people=[dead])  # fmt: skip
    assert (row["status"], row["reasons"]) == ("ineligible", "BIRTHDATE_MISMATCH;DECEASED")


def test_summaries_count_every_row() -> None:
    rows = _validate(
        [{"nik_raw": BUDI["NIK"], "name": "Budi Santoso"}, {"nik_raw": "", "name": "X"}]
    )
    assert kecamatan_counts(rows).to_dict("records") == [
        {"kecamatan": "Panggul", "eligible": 1, "needs_fix": 1, "ineligible": 0, "total": 2}
    ]
    assert reason_counts(rows).to_dict("records") == [
        {"reason": "NIK_MISSING", "status": "needs_fix", "rows": 1}
    ]


@pytest.fixture(scope="module")
def validated_batch(batch: Path) -> pd.DataFrame:
    settings = load_settings()
    ingested = run_ingest(find_source_files([batch / "desa"]), settings).applicants
    registry = read_registry(batch / "dukcapil.csv", settings)
    enrolled, _ = read_enrolled(batch / "peserta_aktif.csv", settings)
    validated = run_validate(ingested, registry, enrolled, settings).validated
    truth = pd.read_csv(batch / "truth.csv", dtype=str, keep_default_na=False)
    truth["source_row"] = truth["source_row"].astype(int)
    assert len(validated) == len(ingested) == len(truth)
    assert validated["row_id"].tolist() == ingested["row_id"].tolist()
    return validated.merge(truth, on=["source_file", "source_sheet", "source_row"])


def test_status_agrees_with_the_planted_truth(validated_batch: pd.DataFrame) -> None:
    rows = validated_batch
    assert len(rows) >= 2000
    assert (rows["status"] == rows["expected_status"]).mean() >= 0.98
    planted_ineligible = rows[rows["expected_status"] == "ineligible"]
    assert (planted_ineligible["status"] != "eligible").all()
    for case in ("lookalike", "absent", "spouse_nik", "excel_number", "duplicate", "age"):
        assert (rows["case"] == case).sum() >= 5, f"too few {case} rows planted"


def test_suggestions_are_right_and_made_where_repairable(validated_batch: pd.DataFrame) -> None:
    rows = validated_batch
    made = rows[rows["nik_suggested"] != ""]
    assert (made["nik_suggested"] == made["true_nik"]).mean() >= 0.99
    repairable = rows[rows["expected_suggestion"] != ""]
    assert (repairable["nik_suggested"] == repairable["expected_suggestion"]).mean() >= 0.90
    lookalikes = rows[rows["case"] == "lookalike"]
    assert (lookalikes["nik_suggested"] == "").all()


def test_people_with_a_nik_from_another_regency_who_live_here_are_eligible(
    validated_batch: pd.DataFrame,
) -> None:
    migrants = validated_batch[
        (validated_batch["case"] == "clean") & ~validated_batch["nik"].str.startswith("3503")
    ]
    assert len(migrants) >= 10
    assert (migrants["status"] == "eligible").mean() >= 0.98


def test_a_registry_row_without_a_birth_date_is_aged_by_the_stated_one() -> None:
    undated = {**BUDI, "TGL_LHR": ""}
    row = _one({"nik_raw": BUDI["NIK"], "name": "Budi Santoso", "birth_date": "12-05-1950"},
               people=[undated])  # fmt: skip
    assert (row["status"], row["reasons"]) == ("ineligible", "AGE")


@pytest.mark.parametrize("registry_file", ["dukcapil.parquet", "dukcapil.csv"])
def test_scanning_the_registry_by_keys_gives_the_same_result_as_reading_it_whole(
    batch: Path, validated_batch: pd.DataFrame, registry_file: str
) -> None:
    """The two-pass scan loads only the rows the batch can use; nothing it decides may differ."""
    settings = load_settings()
    ingested = run_ingest(find_source_files([batch / "desa"]), settings).applicants
    extract = RegistryExtract(batch / registry_file, settings)
    rows = normalized_rows(ingested, settings.programme)
    keys = first_registry_keys(rows)
    first = extract.rows(keys, FIRST_PASS_FIELDS)
    second = second_registry_keys(rows, first, settings)
    variants = list(variant_keys(second.unknown))
    assert len(variants) == 1
    registry = extract.rows(keys | second.keys | variants[0])
    assert len(registry) < 40_000 / 2
    enrolled, _ = read_enrolled(batch / "peserta_aktif.csv", settings)
    scanned = run_validate(ingested, registry, enrolled, settings).validated
    columns = ["status", "reasons", "nik_suggested", "registry_nik", "reason_detail"]
    whole = validated_batch.sort_values("row_id")[columns].reset_index(drop=True)
    pd.testing.assert_frame_equal(scanned[columns].reset_index(drop=True), whole)


def test_invisible_characters_in_a_name_change_nothing() -> None:
    row = _one({"nik_raw": BUDI["NIK"], "name": "Bu\u200bdi San\u00adtoso\u2060"})
    assert (row["status"], row["reasons"]) == ("eligible", "")


def test_suggestions_apply_only_when_the_analyst_accepts_them() -> None:
    from bantuan_iuran.decisions import apply_decisions
    from bantuan_iuran.validate import Acceptance, acceptance_decisions

    settings = load_settings()
    registry = registry_frame(
        [{"NIK": "3503011205800001", "NAMA_LGKP": "BUDI SANTOSO", "TGL_LHR": "1980-05-12"}],
        settings,
    )
    ingested = ingested_frame(
        [
            {"nik_raw": "3503011205800000", "nik_is_number": True, "name": "Budi Santoso",
             "birth_date": "12-05-1980"},
            {"nik_raw": "3503011205800000", "nik_is_number": True, "name": "Budi Santoso",
             "birth_date": "12-05-1980", "answer_nik": "3503011205809999",
             "answer_source": "f.xlsx Perbaikan baris 9 (putaran 1)"},
        ]
    )  # fmt: skip
    enrolled = registry[["nik"]].iloc[0:0]
    first = run_validate(ingested, registry, enrolled, settings).validated
    assert first["nik_suggested"].tolist()[0] == "3503011205800001"
    when = "2027-01-05T08:00:00+00:00"
    for refused in (Acceptance(("Terbis",)), Acceptance(("all",), basis="anggota KK")):
        assert acceptance_decisions(ingested, first, refused, when) == []
    decisions = acceptance_decisions(ingested, first, Acceptance(("besuki",)), when)
    assert len(decisions) == 1  # the village's own answer is never overwritten
    accepted, lines = apply_decisions(ingested, decisions)
    assert [line["outcome"] for line in lines] == ["applied"]
    again = run_validate(accepted, registry, enrolled, settings).validated
    row = again.iloc[0]
    assert row["status"] == "eligible" and row["nik"] == "3503011205800001"
    assert row["sent_nik_raw"] == "3503011205800000"
    assert row["answer_source"].startswith("kabupaten: saran NIK diterima")
    assert again.iloc[1]["nik_raw"] == "3503011205809999"


@pytest.mark.parametrize(
    ("written", "status", "reasons"),
    [
        ("12-Mei-80", "eligible", ""),
        ("12-May-1980", "eligible", ""),
        ("12/5/80", "eligible", ""),
        ("05-12-1980", "needs_fix", "BIRTHDATE_SWAPPED"),  # day and month exchanged
        ("13-05-1980", "needs_fix", "BIRTHDATE_MISMATCH"),
    ],
)
def test_birth_dates_as_people_write_them(written: str, status: str, reasons: str) -> None:
    row = _one({"nik_raw": BUDI["NIK"], "name": "Budi Santoso", "birth_date": written})
    assert (row["status"], row["reasons"]) == (status, reasons)


def test_a_two_digit_year_takes_the_century_of_the_niks_birth_year() -> None:
    young = {"NIK": "3503011208010001", "NO_KK": "3503010101105009", "NAMA_LGKP": "DIMAS",
             "TGL_LHR": "2001-08-12"}  # fmt: skip
    row = _one({"nik_raw": young["NIK"], "name": "Dimas", "birth_date": "12-08-01"},
               people=(young,))  # fmt: skip
    assert (row["status"], row["birth_date"]) == ("eligible", "2001-08-12")


# A husband and wife in one family card, and the wife written by her husband's name.
SLAMET = {"NIK": "3503011003700001", "NO_KK": "3503010101107001", "NAMA_LGKP": "SLAMET",
          "TGL_LHR": "1970-03-10"}  # fmt: skip
SUMIATI = {"NIK": "3503015206750002", "NO_KK": "3503010101107001", "NAMA_LGKP": "SUMIATI",
           "TGL_LHR": "1975-06-12", "JENIS_KLMIN": "PEREMPUAN"}  # fmt: skip


@pytest.mark.parametrize("written", ["Ny. Slamet", "BU SLAMET", "Ibu Slamet", "Mbok Slamet"])
def test_a_wife_by_her_husbands_name_is_asked_for_her_own_name(written: str) -> None:
    row = _one({"nik_raw": SUMIATI["NIK"], "name": written, "birth_date": "12-06-1975"},
               people=(SLAMET, SUMIATI))  # fmt: skip
    assert (row["status"], row["reasons"]) == ("needs_fix", "NAME_OF_HUSBAND")
    assert row["nik_suggested"] == ""  # never the husband's NIK


def test_a_suggestion_is_never_a_person_of_another_sex_or_birth_date() -> None:
    # Her own NIK (it encodes her birth date) under a name that fits only her husband.
    row = _one({"nik_raw": SUMIATI["NIK"], "name": "Slamet", "birth_date": "12-06-1975"},
               people=(SLAMET, SUMIATI))  # fmt: skip
    assert row["status"] == "needs_fix" and row["nik_suggested"] == ""
    # The husband's NIK written for the wife: she is found in the family, as before.
    row = _one({"nik_raw": SLAMET["NIK"], "name": "Sumiati", "birth_date": "12-06-1975"},
               people=(SLAMET, SUMIATI))  # fmt: skip
    assert (row["reasons"], row["nik_suggested"]) == ("NAME_MISMATCH", SUMIATI["NIK"])


@pytest.mark.parametrize(
    "written", ["St. Aminah", "ST. AMINAH", "Bu Siti Aminah", "Mbak Siti Aminah"]
)
def test_forms_of_address_and_abbreviations_are_no_other_name(written: str) -> None:
    row = _one({"nik_raw": SITI["NIK"], "name": written})
    assert (row["status"], row["reasons"]) == ("eligible", "")
