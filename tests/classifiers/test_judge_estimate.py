import pytest

from aflab.classifiers import JudgeConfigError, estimate_calls


def test_calls_scale_with_votes_and_judges():
    est = estimate_calls(10, votes=20, judges=["compliance", "alignment_faking"])
    assert est["per_judge"]["compliance"]["calls"] == 10
    assert est["per_judge"]["alignment_faking"]["calls"] == 200
    assert est["calls"] == 210
    assert est["input_tokens"] > est["output_tokens"] > 0
    assert est["tokens"] == est["input_tokens"] + est["output_tokens"]


def test_frames_reads_interview_answers_and_takes_votes_by_name():
    est = estimate_calls(4, votes={"frames": 3}, judges=["frames"], interview_answers=2)
    assert est["calls"] == 4 * 3 * 3


def test_unknown_judge_is_an_error():
    with pytest.raises(JudgeConfigError, match="unknown judge"):
        estimate_calls(1, votes=1, judges=["vibes"])
