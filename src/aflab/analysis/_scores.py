"""Flatten one Inspect sample's scores and texts into a row of the tidy table.

The columns of aflab's own scorers come from their result models (`aflab.contract`); any
other scorer's value keys are added as numeric columns.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from inspect_ai.log import EvalSample
from inspect_ai.model import ChatMessageAssistant
from inspect_ai.scorer import Score

from aflab.contract import (
    RESULTS,
    FormatResult,
    ScoreResult,
    SolverRecord,
    as_number,
    sample_columns,
)
from aflab.parsing import main_exchange, parse_messages, parse_response

__all__ = ["score_columns", "texts"]

_BY_SCORER: dict[str, type[ScoreResult]] = {result.SCORER: result for result in RESULTS}


def _other_columns(name: str, score: Score) -> dict[str, float | None]:
    """The value keys of a scorer outside the contract, renamed where they would clash."""
    taken = set(sample_columns())
    if isinstance(score.value, Mapping):
        return {(f"{name}_{key}" if key in taken else key): as_number(item)
                for key, item in score.value.items()}  # fmt: skip
    return {(f"{name}_score" if name in taken else name): as_number(score.value)}


def score_columns(scores: Mapping[str, Score] | None) -> dict[str, Any]:
    """Columns contributed by a sample's scores.

    Args:
        scores: The sample's scores by scorer name (None for a sample that errored).

    Returns:
        Every contract scorer's columns (`ScoreResult.columns`; empty when the scorer did not
        run), any other scorer's value keys, ``judge_failures`` (failed judge votes over all
        scorers) and ``unscored_reason`` (``scorer: reason`` for each unscored scorer).
    """
    row: dict[str, Any] = {}
    for result_type in RESULTS:
        row.update(result_type.empty_columns())
    failures = 0
    reasons: list[str] = []
    for name, score in (scores or {}).items():
        known = _BY_SCORER.get(name)
        if known is None:
            row.update(_other_columns(name, score))
            continue
        result = known.from_score(score)
        row.update(result.columns())
        failures += result.judge_failures
        if not result.scored:
            reasons.append(f"{name}: {result.unscored_reason}")
    row["judge_failures"] = failures
    row["unscored_reason"] = "; ".join(reasons) if reasons else None
    return row


def texts(sample: EvalSample) -> tuple[str, str | None]:
    """The scratchpad and output text of a sample's main exchange.

    Texts the format scorer recorded (the native reasoning, `FormatResult.scratchpad`) win;
    otherwise the assistant messages before any follow-up interview are parsed, falling back
    to the final completion when the log holds no messages.

    Args:
        sample: The sample.

    Returns:
        (scratchpad, output); output is the output block or, when the reply has none, the
        untagged text a user would see (the format columns say which), None when empty.
    """
    recorded = (sample.scores or {}).get(FormatResult.SCORER)
    if recorded is not None:
        fmt = FormatResult.from_score(recorded)
        if fmt.scratchpad is not None:
            return fmt.scratchpad, fmt.output
    start = sample.store_as(SolverRecord).interview_start
    messages = main_exchange(sample.messages, start)
    if any(isinstance(m, ChatMessageAssistant) for m in messages):
        parsed = parse_messages(messages)
    else:
        parsed = parse_response(sample.output.completion if sample.output else "")
    return parsed.scratchpad, parsed.answer or None
