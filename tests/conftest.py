"""Shared fixtures: settings and a generated batch (made once per test session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bantuan_iuran.config import Settings, load_settings
from bantuan_iuran.sample import generate_sample


@pytest.fixture(scope="session")
def settings() -> Settings:
    return load_settings()


@pytest.fixture(scope="session")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated batch of 2,400 applicants over 24 villages, every problem planted."""
    out = tmp_path_factory.mktemp("batch")
    generate_sample(out, seed=7, villages=24, applicants=2400, registry_size=40000)
    return out
