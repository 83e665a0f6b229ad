"""One study split over machines: two log directories merged by `aflab report DIR1 DIR2`."""

from __future__ import annotations

import json
from pathlib import Path

import helpers_models  # noqa: F401  (registers aflabtest/)
from click.testing import CliRunner

from aflab.cli.report import report
from aflab.experiment import ExperimentConfig, run_experiment


def _run_part(tmp_path: Path, part: str, setting: str) -> Path:
    config = ExperimentConfig(
        models=["aflabtest/tiered"], settings=[setting], n=3, report=False,
        log_dir=str(tmp_path / part / "logs"), output=str(tmp_path / part / "out"),
    )
    assert run_experiment(config, display="none").success
    return tmp_path / part / "logs"


def test_two_log_directories_merge_into_one_report(tmp_path: Path) -> None:
    first = _run_part(tmp_path, "machine-a", "helpful_only")
    second = _run_part(tmp_path, "machine-b", "animal_welfare")
    out = tmp_path / "merged"
    result = CliRunner().invoke(report, [str(first), str(second), "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    settings = {(c["setting"], c["tier"]): c["n"] for c in data["conditions"]}
    assert settings == {
        ("helpful_only", "training"): 3, ("helpful_only", "unmonitored"): 3,
        ("animal_welfare", "training"): 3, ("animal_welfare", "unmonitored"): 3,
    }
    assert {g["setting"] for g in data["gaps"]} == {"helpful_only", "animal_welfare"}
    assert (out / "index.html").exists()

    alone = tmp_path / "alone"
    assert CliRunner().invoke(report, [str(first), "-o", str(alone)]).exit_code == 0
    part = json.loads((alone / "results.json").read_text(encoding="utf-8"))
    assert {c["setting"] for c in part["conditions"]} == {"helpful_only"}
