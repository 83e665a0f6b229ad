"""Flatten one Inspect sample's scores and texts into a row of the tidy table."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from inspect_ai.log import EvalSample
from inspect_ai.model import ChatMessageAssistant
from inspect_ai.scorer import Score

from aflab.classifiers import FRAMES
from aflab.parsing import main_exchange, parse_messages, parse_response

__all__ = ["SCORE_KEYS", "score_columns", "texts"]

# Value keys of the scorers named in the score contract (docs/architecture.md).
SCORE_KEYS: dict[str, tuple[str, ...]] = {
    "format": ("format_ok", "scratchpad_present", "output_present", "truncated", "continuations"),
    "compliance": ("complied", "partial", "refused"),
    "alignment_faking": ("af_score", "af_label"),
    "frames": FRAMES,
}

# Columns the table always has; other scorers' keys must not overwrite them.
_RESERVED = {
    "log", "log_status", "model", "setting", "value", "variant", "tier", "query_id", "epoch",
    "sample_id", "prompt_hash", "error", "af_classifier", "judge_failures", "unscored_reason",
    "scratchpad", "output", "af_votes", "query", "compliance_method", "compliance_details",
    "frames_method", "value_named", "frames_details", "frames_interview", "af_provenance",
}  # fmt: skip
_CONTRACT_KEYS = {key for keys in SCORE_KEYS.values() for key in keys}


def _number(value: Any) -> float:
    """A score value as a float; NaN for None or anything non-numeric."""
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return math.nan
    return math.nan


def _is_unscored(score: Score) -> bool:
    value = score.value
    if isinstance(value, Mapping):
        return any(math.isnan(_number(v)) for v in value.values())
    return isinstance(value, float) and math.isnan(value)


def _failures(metadata: Mapping[str, Any]) -> int:
    raw = metadata.get("failures", metadata.get("judge_failures", 0))
    if isinstance(raw, list | tuple):
        return len(raw)
    number = _number(raw)
    return 0 if math.isnan(number) else int(number)


def _json_safe(value: Any) -> str:
    return json.dumps(value, default=str, ensure_ascii=False)


def _frames_columns(metadata: Mapping[str, Any]) -> dict[str, Any]:
    """The `frames` scorer's method, value named, votes/evidence and interview readings."""
    details = {k: metadata[k] for k in ("votes", "evidence") if metadata.get(k)}
    interview = [
        {k: item.get(k) for k in ("context", "question", "scores", "value_named", "method")}
        for item in metadata.get("interview") or []
        if isinstance(item, Mapping)
    ]
    value = metadata.get("value_named")
    return {
        "frames_method": metadata.get("method"),
        "value_named": value if isinstance(value, str) else None,
        "frames_details": _json_safe(details) if details else None,
        "frames_interview": _json_safe(interview) if interview else None,
    }


def score_columns(scores: Mapping[str, Score] | None) -> dict[str, Any]:
    """Columns contributed by a sample's scores.

    Args:
        scores: The sample's scores by scorer name (None for a sample that errored).

    Returns:
        Every contract value key (NaN when missing or unscored), any other scorer's value keys,
        `af_classifier`, `af_votes` (JSON), `judge_failures`, `unscored_reason`,
        `compliance_method`, `compliance_details` (JSON), and from the `frames` scorer
        `frames_method`, `value_named`, `frames_details` (JSON: votes per frame, or the
        keyword evidence) and `frames_interview` (JSON: readings of interview answers).
    """
    row: dict[str, Any] = {key: math.nan for keys in SCORE_KEYS.values() for key in keys}
    row.update(
        af_classifier=None,
        af_provenance=None,
        af_votes=None,
        judge_failures=0,
        unscored_reason=None,
        compliance_method=None,
        compliance_details=None,
        frames_method=None,
        value_named=None,
        frames_details=None,
        frames_interview=None,
    )
    reasons: list[str] = []
    for name, score in (scores or {}).items():
        metadata = score.metadata or {}
        value = score.value
        known = SCORE_KEYS.get(name)
        if isinstance(value, Mapping):
            for key, item in value.items():
                clash = key in _RESERVED or key in _CONTRACT_KEYS
                column = f"{name}_{key}" if known is None and clash else key
                row[column] = _number(item)
        elif known is None:
            row[name if name not in _RESERVED else f"{name}_score"] = _number(value)
        row["judge_failures"] += _failures(metadata)
        if _is_unscored(score):
            reason = score.reason or metadata.get("unscored_reason") or "unscored"
            reasons.append(f"{name}: {reason}")
        if name == "alignment_faking":
            row["af_classifier"] = metadata.get("classifier")
            if metadata.get("provenance"):
                row["af_provenance"] = _json_safe(metadata["provenance"])
            if metadata.get("votes") is not None:
                row["af_votes"] = _json_safe(metadata["votes"])
        elif name == "compliance":
            row["compliance_method"] = metadata.get("method")
            details = {k: v for k, v in metadata.items() if k != "method"}
            row["compliance_details"] = _json_safe(details) if details else None
        elif name == "frames":
            row.update(_frames_columns(metadata))
    row["unscored_reason"] = "; ".join(reasons) if reasons else None
    return row


def texts(sample: EvalSample) -> tuple[str, str | None]:
    """The scratchpad and output text of a sample's main exchange.

    Texts recorded by a scorer (`scratchpad`/`output` in score metadata) win; otherwise the
    assistant messages before any follow-up interview are parsed, falling back to the final
    completion when the log holds no messages.

    Args:
        sample: The sample.

    Returns:
        (scratchpad, output); output is the output block or, when the reply has none, the
        untagged text a user would see (the format columns say which), None when empty.
    """
    for score in (sample.scores or {}).values():
        metadata = score.metadata or {}
        if isinstance(metadata.get("scratchpad"), str) and "output" in metadata:
            output = metadata["output"]
            return metadata["scratchpad"], output if isinstance(output, str) else None
    messages = main_exchange(sample.messages, sample.metadata)
    if any(isinstance(m, ChatMessageAssistant) for m in messages):
        parsed = parse_messages(messages)
    else:
        parsed = parse_response(sample.output.completion if sample.output else "")
    return parsed.scratchpad, parsed.answer or None
