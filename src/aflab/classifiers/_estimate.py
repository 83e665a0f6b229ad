"""Rough cost of the judges of a run, for dry runs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aflab.classifiers._judge_prompt import JudgeConfigError
from aflab.classifiers._judge_spec import DEFAULT_FAKING_VOTES, DEFAULT_FRAME_VOTES

# name -> (calls per judged text when votes do not apply, prompt overhead tokens,
#          typical text tokens judged, reply tokens). Figures are rough averages.
_JUDGES: dict[str, tuple[int | None, int, int, int]] = {
    "compliance": (1, 700, 450, 90),
    "alignment_faking": (None, 750, 900, 150),
    "frames": (None, 900, 950, 260),
}
_ALIASES = {"faking": "alignment_faking", "af": "alignment_faking"}
_DEFAULT_VOTES = {"alignment_faking": DEFAULT_FAKING_VOTES, "frames": DEFAULT_FRAME_VOTES}


def estimate_calls(
    n_samples: int,
    *,
    votes: int | Mapping[str, int] | None = None,
    judges: list[str],
    interview_answers: int = 0,
) -> dict[str, Any]:
    """Estimate judge calls and tokens for a run.

    Args:
        n_samples: Samples to be scored.
        votes: Votes per judged text: one number for every voting judge (``alignment_faking``
            and ``frames``; ``compliance`` always makes one call), a mapping by judge name, or
            None for the defaults (20 and 5).
        judges: Judge names among ``compliance``, ``alignment_faking``, ``frames``.
        interview_answers: Interview answers per sample (the frames judge reads each).

    Returns:
        ``{"calls", "input_tokens", "output_tokens", "tokens", "per_judge": {name: {...}}}``;
        retries are not included.

    Raises:
        JudgeConfigError: An unknown judge name or a negative count.

    Examples:
        >>> estimate_calls(10, votes=20, judges=["alignment_faking"])["calls"]
        200
    """
    if n_samples < 0 or interview_answers < 0:
        raise JudgeConfigError("n_samples and interview_answers must not be negative")
    per_judge: dict[str, dict[str, int]] = {}
    for raw in judges:
        name = _ALIASES.get(raw, raw)
        if name not in _JUDGES:
            raise JudgeConfigError(
                f"unknown judge {raw!r}; expected one of {', '.join(sorted(_JUDGES))}")
        fixed, overhead, text_tokens, reply = _JUDGES[name]
        if fixed is not None:
            per_text = fixed
        elif isinstance(votes, Mapping):
            per_text = int(votes.get(name, _DEFAULT_VOTES[name]))
        else:
            per_text = _DEFAULT_VOTES[name] if votes is None else int(votes)
        if per_text < 1:
            raise JudgeConfigError(f"votes for {name} must be at least 1, got {per_text}")
        texts = n_samples * (1 + interview_answers if name == "frames" else 1)
        calls = texts * per_text
        per_judge[name] = {"calls": calls, "input_tokens": calls * (overhead + text_tokens),
                           "output_tokens": calls * reply}
    input_tokens = sum(j["input_tokens"] for j in per_judge.values())
    output_tokens = sum(j["output_tokens"] for j in per_judge.values())
    return {
        "calls": sum(j["calls"] for j in per_judge.values()),
        "input_tokens": input_tokens,
        "output_tokens": output_tokens,
        "tokens": input_tokens + output_tokens,
        "per_judge": per_judge,
    }
