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
        ("[programme]\nyear = 'next'\n", "wrong type"),
    ],
)
def test_bad_config_files_are_rejected_clearly(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bantuan.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(ConfigError, match=message):
        load_settings(path)


def test_missing_config_file() -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_settings(Path("/nonexistent/bantuan.toml"))
