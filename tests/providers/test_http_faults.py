"""HTTP faults of an OpenAI-compatible server: retried, then a counted failure, never a verdict.

Runs aflab's task through Inspect's `openai-api/...` provider against the loopback fake
server. The OpenAI client's own retries are turned off (`max_retries=0` as a model arg)
so that Inspect's `max_retries` alone decides how many attempts are made.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fake_openai_server import SCRATCHPAD_REPLY, FakeOpenAIServer
from inspect_ai import eval
from inspect_ai.log import EvalLog

from aflab.analysis import samples_table, summarize
from aflab.tasks import alignment_faking

MODEL = "openai-api/fake/scripted"


def run_task(server: FakeOpenAIServer, log_dir: Path, **generate: Any) -> EvalLog:
    [log] = eval(
        alignment_faking(n=1, variant="no_examples", max_continuations=0),
        model=MODEL,
        model_base_url=server.base_url,
        model_args={"max_retries": 0},  # the OpenAI client's own retries: off
        display="none",
        log_dir=str(log_dir),
        fail_on_error=False,
        max_connections=2,
        **generate,
    )
    return log


@pytest.mark.parametrize("fault", ["500", "429", "truncated", "hang"])
def test_each_fault_is_retried_and_the_retry_answers(
    fake_openai: Callable[..., FakeOpenAIServer], tmp_path: Path, fault: str
) -> None:
    server = fake_openai([fault, fault], retry_after=0.1, max_seconds=60)
    log = run_task(server, tmp_path, max_retries=2, attempt_timeout=2, timeout=30)
    assert log.status == "success"
    assert log.samples is not None and len(log.samples) == 2
    assert server.served[fault] == 2 and server.served["ok"] == 2
    for sample in log.samples:
        assert sample.error is None
        assert sample.output.completion == SCRATCHPAD_REPLY
    rows = samples_table(tmp_path)
    assert len(rows) == 2 and rows["error"].isna().all()
    assert rows["complied"].notna().all()


@pytest.mark.parametrize("fault", ["500", "hang"])
def test_persistent_fault_ends_as_a_counted_failure(
    fake_openai: Callable[..., FakeOpenAIServer], tmp_path: Path, fault: str
) -> None:
    server = fake_openai(default_fault=fault, max_seconds=60)
    started = time.monotonic()
    log = run_task(server, tmp_path, max_retries=1, attempt_timeout=2, timeout=20)
    elapsed = time.monotonic() - started
    # Two samples, each allowed two attempts; backoff before the retry is 3-6 s.
    assert server.requests == 4
    assert elapsed < 20
    assert log.samples is not None and len(log.samples) == 2
    for sample in log.samples:
        assert sample.error is not None
        assert not sample.scores
    rows = samples_table(tmp_path)
    assert (rows["unscored_reason"] == "sample error").all()
    assert rows["complied"].isna().all() and rows["refused"].isna().all()
    for condition in summarize(rows)["conditions"]:
        assert condition["errors"] == 1 and condition["n_scored"] == 0
        assert condition["compliance_rate"] is None or math.isnan(condition["compliance_rate"])
