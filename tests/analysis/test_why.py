"""The mapping from gaps under the goal-guarding ablations to the readings they support."""

import math
from types import SimpleNamespace

import pytest

from aflab.analysis import gap_status, why_it_fakes


def gap(estimate: float, half_width: float = 0.04) -> SimpleNamespace:
    return SimpleNamespace(gap=estimate, lo=estimate - half_width, hi=estimate + half_width)


DEFAULT = gap(0.12)


@pytest.mark.parametrize(
    ("ablated", "status"),
    [
        (gap(0.11), "kept"),
        (gap(0.06, 0.02), "reduced"),
        (gap(0.0), "removed"),
        (gap(0.05, 0.1), "unclear"),
        (None, "missing"),
        (SimpleNamespace(gap=math.nan, lo=math.nan, hi=math.nan), "unclear"),
    ],
)
def test_gap_status(ablated, status):
    assert gap_status(DEFAULT, ablated) == status


def test_no_default_gap_leaves_everything_untested():
    reading = why_it_fakes(gap(0.01), gap(0.0), gap(0.0))
    assert not reading.default_gap
    assert {reading.rater_sycophancy, reading.terminal_goal_guarding} == {"untested"}


def test_sycophant_keeps_its_gap_when_only_rated():
    reading = why_it_fakes(DEFAULT, rated_not_trained=gap(0.12), trained_not_deployed=gap(0.12))
    assert reading.rater_sycophancy == "supported"
    assert reading.terminal_goal_guarding == reading.instrumental_goal_guarding == "unclear"


def test_instrumental_guard_loses_its_gap_without_deployment():
    reading = why_it_fakes(DEFAULT, rated_not_trained=gap(0.0), trained_not_deployed=gap(0.0))
    assert reading.rater_sycophancy == "not_supported"
    assert reading.instrumental_goal_guarding == "supported"
    assert reading.terminal_goal_guarding == "not_supported"


def test_terminal_guard_keeps_its_gap_without_deployment():
    reading = why_it_fakes(DEFAULT, rated_not_trained=gap(0.0), trained_not_deployed=gap(0.13))
    assert reading.terminal_goal_guarding == "supported"
    assert reading.instrumental_goal_guarding == "not_supported"
    assert any("no deployment ahead" in line for line in reading.because)


def test_partial_reduction_supports_both_goal_guarding_readings():
    partial = gap(0.06, 0.02)
    reading = why_it_fakes(DEFAULT, rated_not_trained=gap(0.0), trained_not_deployed=partial)
    assert reading.terminal_goal_guarding == reading.instrumental_goal_guarding == "supported"


def test_ablations_not_run_are_untested():
    reading = why_it_fakes(DEFAULT)
    assert reading.rater_sycophancy == reading.terminal_goal_guarding == "untested"
    assert reading.rated_not_trained == reading.trained_not_deployed == "missing"
