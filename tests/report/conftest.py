"""Synthetic runs and one report built from them, shared by the report tests."""

from pathlib import Path

import pytest
from helpers_logs import write_demo_runs

from aflab.report import ReportResult, build_report


@pytest.fixture(scope="session")
def runs(tmp_path_factory) -> Path:
    return write_demo_runs(tmp_path_factory.mktemp("runs"))


@pytest.fixture(scope="session")
def built(runs, tmp_path_factory) -> ReportResult:
    return build_report(runs, tmp_path_factory.mktemp("report"), n_resamples=500)
