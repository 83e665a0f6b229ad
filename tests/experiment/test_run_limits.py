"""A dead endpoint ends the run: retry limit and request timeout, for the model and the judge.

Runs `run_experiment` against the loopback fake OpenAI server. What still fails after the
retries is recorded as a failed sample (never a verdict), and the run reports itself as
unfinished so that the command line prints the resume hint.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from fake_openai_server import FakeOpenAIServer, running_server

from aflab.experiment import ExperimentConfig, run_experiment
from aflab.experiment._runner import RETRY_ATTEMPTS


def _config(tmp_path: Path, **changes: object) -> ExperimentConfig:
    base = {
        # Inspect keeps model objects by name within a process: a name per test, so that each
        # test reaches its own server.
        "models": [f"openai-api/fake/{tmp_path.name}"],
        # The OpenAI client's own quick retries off, so that the counts below are Inspect's.
        "model_args": {"max_retries": 0},
        "n": 1,
        "max_continuations": 0,
        "variants": ["no_examples"],
        "log_dir": str(tmp_path / "logs"),
        "output": str(tmp_path / "out"),
        "report": False,
        "max_retries": 1,
        "timeout": 2,
    }
    return ExperimentConfig.model_validate({**base, **changes})


@pytest.fixture
def endpoints(monkeypatch: pytest.MonkeyPatch):
    def point(service: str, server: FakeOpenAIServer) -> None:
        monkeypatch.setenv(f"{service}_API_KEY", "not-a-secret")
        monkeypatch.setenv(f"{service}_BASE_URL", server.base_url)

    return point


def test_defaults_bound_retries_and_requests():
    config = ExperimentConfig()
    assert 0 < config.max_retries <= 10
    assert 0 < config.timeout <= 600


@pytest.mark.parametrize("fault", ["500", "hang"])
def test_a_dead_model_endpoint_ends_as_counted_failures(tmp_path, endpoints, fault):
    with running_server(default_fault=fault, max_seconds=120) as server:
        endpoints("FAKE", server)
        started = time.monotonic()
        result = run_experiment(_config(tmp_path), display="none")
        elapsed = time.monotonic() - started
    assert not result.success and not result.interrupted
    assert result.failed_tasks
    # Two samples, each tried at most 1 + max_retries times, in every attempt at the task.
    assert 2 * 2 <= server.requests <= 2 * 2 * (1 + RETRY_ATTEMPTS)
    assert elapsed < 100
    summary = json.loads((tmp_path / "out" / "results.json").read_text())
    assert summary["run"]["complete"] is False
    for condition in summary["conditions"]:
        assert condition["errors"] == 1 and condition["n_scored"] == 0


@pytest.mark.parametrize("fault", ["500", "hang"])
def test_a_dead_judge_is_bounded_and_never_a_verdict(tmp_path, endpoints, fault):
    with (
        running_server(max_seconds=120) as model,
        running_server(default_fault=fault, max_seconds=120) as judge,
    ):
        endpoints("FAKE", model)
        endpoints("JUDGE", judge)
        started = time.monotonic()
        judge_model = f"openai-api/judge/{tmp_path.name}"
        run_experiment(
            _config(tmp_path, judge_model=judge_model, votes=1, frame_votes=1), display="none"
        )
        elapsed = time.monotonic() - started
    assert model.requests == 2
    assert judge.requests > 0
    assert elapsed < 200
    summary = json.loads((tmp_path / "out" / "results.json").read_text())
    for condition in summary["conditions"]:
        assert condition["n_scored"] == 0 and condition["judge_failures"] == 1
