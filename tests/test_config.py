from pathlib import Path

import pytest

from bantuan_iuran.config import load_settings
from bantuan_iuran.errors import ConfigError


def test_defaults_are_the_documented_policy() -> None:
    settings = load_settings()
    assert (settings.programme.min_age, settings.programme.max_age) == (18, 65)
    assert settings.programme.excluded_occupations == ("5", "6", "7")
    assert settings.programme.regency_code == "3503"


def test_user_file_overrides_only_what_it_names(tmp_path: Path) -> None:
    path = tmp_path / "bantuan.toml"
    path.write_text("[programme]\nmax_age = 60\n", "utf-8")
    settings = load_settings(path)
    assert (settings.programme.min_age, settings.programme.max_age) == (18, 60)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("config_version = 9\n", "config_version"),
        ("[programme]\nmin_age = 70\n", "impossible"),
        ("[programme\n", "not valid TOML"),
        ("[programme]\nyear = 'next'\n", "`programme.year` is wrong: Input should be a valid int"),
        ("[programme]\nyaer = 2027\n", "Unknown config key `programme.yaer`"),
        ("[premuim]\nmonths = 3\n", "Unknown config key `premuim`"),
        ('[headers]\nnik = "NO KTP PESERTA"\n', "`headers.nik` is wrong: Input should be a valid"),
        ('[headers]\nnkk = ["X"]\n', "did you mean 'kk'"),
        ('config_version = "1"\n', "config_version must be a whole number"),
        ("[run]\nbudget = -1000000\n", "`run.budget` is wrong: Input should be greater than"),
        ("[run]\nbudget = 2100000000.5\n", "`run.budget` is wrong: Input should be a valid int"),
        ("[premium]\ndeclared_income = -5\n", "`premium.declared_income` is wrong"),
        ('[[premium.rates]]\neffective = "2026-01-01"\nJKK_percent = "-1"\nJKM_monthly = 6800\n',
         "must not be negative"),
        ('[[premium.rates]]\neffective = "2026-01-01"\nJKK_percent = "1"\nJKM_monthly = 6800.5\n',
         "must be whole rupiah"),
        ("[matching]\nname_min_similarity = 0\n", "name_min_similarity` is wrong"),
    ],
)  # fmt: skip
def test_bad_config_files_are_rejected_clearly(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bantuan.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(ConfigError) as raised:
        load_settings(path)
    assert message in f"{raised.value.message} {raised.value.hint}"


def test_a_misspelt_key_gets_a_did_you_mean(tmp_path: Path) -> None:
    path = tmp_path / "bantuan.toml"
    path.write_text("[programme]\nyaer = 2027\n", "utf-8")
    with pytest.raises(ConfigError) as raised:
        load_settings(path)
    assert raised.value.hint == "Did you mean `year`?"


@pytest.mark.parametrize(
    ("text", "amount"),
    [("2.100.000.000", 2_100_000_000), ("2100000000", 2_100_000_000), ("Rp 16.800", 16_800),
     ("2_100_000_000", 2_100_000_000), ("2,100,000,000", 2_100_000_000)],
)  # fmt: skip
def test_rupiah_as_people_write_it(text: str, amount: int) -> None:
    from bantuan_iuran.config import parse_rupiah

    assert parse_rupiah(text) == amount


@pytest.mark.parametrize("text", ["-1000", "2.100.000.000,50", "2.1e9", "", "dua juta", "12.34"])
def test_rupiah_that_is_not_whole_or_not_positive_is_refused(text: str) -> None:
    from bantuan_iuran.config import parse_rupiah

    with pytest.raises(ValueError, match="not a whole amount"):
        parse_rupiah(text)


def test_missing_config_file() -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_settings(Path("/nonexistent/bantuan.toml"))
