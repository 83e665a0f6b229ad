"""`batch` and `cache` reach Inspect: the model's generate config and the judge's role."""

from __future__ import annotations

from pathlib import Path

import helpers_models  # noqa: F401  (registers aflabtest/)
from inspect_ai.log import list_eval_logs, read_eval_log

from aflab.experiment import ExperimentConfig, run_experiment


def _logs(log_dir: Path) -> list:
    return [read_eval_log(info, header_only=True) for info in list_eval_logs(str(log_dir))]


def test_batch_and_cache_are_set_for_model_and_judge(tmp_path: Path) -> None:
    config = ExperimentConfig(
        models=["aflabtest/tiered"], n=1, report=False, batch=True, cache=True,
        judge_model="mockllm/model", votes=1, frame_votes=1,
        log_dir=str(tmp_path / "logs"), output=str(tmp_path / "out"),
    )
    result = run_experiment(config, display="none")
    assert result.success
    [log] = _logs(tmp_path / "logs")
    assert log.plan.config.batch is True and log.plan.config.cache is True
    roles = log.eval.model_roles or {}
    assert roles["grader"].model == "mockllm/model"
    assert roles["grader"].config.batch is True


def test_without_flags_nothing_is_batched(tmp_path: Path) -> None:
    config = ExperimentConfig(models=["aflabtest/tiered"], n=1, report=False,
                              log_dir=str(tmp_path / "logs"), output=str(tmp_path / "out"))
    assert run_experiment(config, display="none").success
    [log] = _logs(tmp_path / "logs")
    assert log.plan.config.batch is None and log.plan.config.cache is None
    assert not log.eval.model_roles
