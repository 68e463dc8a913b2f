"""Shared fixtures: settings and a generated batch (made once per test session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bantuan_iuran.config import Settings, load_settings
from bantuan_iuran.sample import generate_sample


@pytest.fixture(scope="session", autouse=True)
def programme_year_2027():
    """The programme year left out defaults to the next calendar year; the tests, written for
    2027, must pass in any year."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("bantuan_iuran.config.default_year", lambda: 2027)
        yield


@pytest.fixture(scope="session")
def settings(programme_year_2027) -> Settings:
    return load_settings()


@pytest.fixture(scope="session")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated batch of 2,400 applicants over 24 villages, every problem planted."""
    out = tmp_path_factory.mktemp("batch")
    generate_sample(out, seed=7, villages=24, applicants=2400, registry_size=40000)
    return out


@pytest.fixture(scope="session")
def reported(batch: Path, settings: Settings, tmp_path_factory) -> tuple[Path, object]:
    """The batch through ingest, validate and report: the work folder and the report."""
    from bantuan_iuran.pipeline import ReportOptions, ingest_stage, report_stage, validate_stage

    work = tmp_path_factory.mktemp("work")
    ingest_stage([batch / "desa"], work, settings)
    validate_stage(work, batch / "dukcapil.parquet", batch / "peserta_aktif.csv", settings)
    report = report_stage(work, ReportOptions(year=2027), settings).report
    return work, report
