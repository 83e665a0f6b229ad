"""What the HTML report embeds: browser records (trimmed texts) and comparison tables."""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import pandas as pd

__all__ = ["MAX_CHARS", "MAX_VOTES", "browser_records", "comparisons", "trim"]

MAX_CHARS = {"query": 2_000, "scratchpad": 8_000, "output": 4_000, "reason": 500}
"""Longest text of each kind embedded in the page; longer texts keep their head and tail
(the full texts stay in samples.csv and samples.parquet)."""

MAX_VOTES = 25
"""Most classifier votes shown per sample."""

_FIELDS = (
    "model", "setting", "variant", "tier", "query_id", "epoch", "sample_id", "complied",
    "partial", "af_label", "af_score", "format_ok", "af_classifier", "compliance_method",
    "judge_failures", "unscored_reason", "error",
)  # fmt: skip


def trim(text: object, limit: int) -> str | None:
    """Shorten a text to about `limit` characters, keeping its head and tail.

    Examples:
        >>> print(trim("abcdefghij" * 10, 30))
        abcdefghijabcdefghij
        [… 70 characters left out …]
        abcdefghij
        >>> trim(None, 10) is None
        True
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return None
    value = str(text)
    if len(value) <= limit:
        return value
    head = (2 * limit) // 3
    tail = limit - head
    return f"{value[:head]}\n[… {len(value) - limit} characters left out …]\n{value[-tail:]}"


def _clean(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if hasattr(value, "item"):  # numpy scalar
        return _clean(value.item())
    if pd.isna(value):
        return None
    return value


def _votes(votes: object) -> list[dict[str, Any]]:
    """The first `MAX_VOTES` votes of an ``af_votes`` cell (a list of vote dicts)."""
    if not isinstance(votes, list):
        return []
    shown = []
    for vote in votes[:MAX_VOTES]:
        if isinstance(vote, dict):
            reason = trim(vote.get("reason"), MAX_CHARS["reason"])
            shown.append({"vote": _clean(vote.get("vote")), "reason": reason})
        else:
            shown.append({"vote": _clean(vote), "reason": None})
    return shown


def browser_records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """One JSON-safe record per sample for the transcript browser.

    Args:
        df: Sample table.

    Returns:
        Records with the condition, scores, texts trimmed to `MAX_CHARS` and at most
        `MAX_VOTES` votes.
    """
    fields = [f for f in _FIELDS if f in df.columns]
    records = []
    for row in df.to_dict("records"):
        record = {f: _clean(row[f]) for f in fields}
        for key in ("query", "scratchpad", "output"):
            record[key] = trim(row.get(key), MAX_CHARS[key])
        record["votes"] = _votes(row.get("af_votes"))
        votes = row.get("af_votes")
        record["n_votes"] = len(votes) if isinstance(votes, list) else 0
        records.append(record)
    return records


def comparisons(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """Tables lining up runs of the same setting.

    One table per setting and variant run on several models (a model per row), and one per
    model and setting run with several variants (a variant per row).

    Args:
        summary: Payload of `aflab.analysis.summarize`.

    Returns:
        [{"title", "row_label", "rows": [{"label", "gap", "training", "unmonitored", ...}]}].
    """
    rates: dict[tuple[str, str, str, str], dict[str, Any]] = {
        (c["model"], c["setting"], c["variant"], c["tier"]): c for c in summary["conditions"]
    }
    by_models: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    by_variants: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for gap in summary["gaps"]:
        by_models[(gap["setting"], gap["variant"])].append(gap)
        by_variants[(gap["model"], gap["setting"])].append(gap)

    def row(gap: dict[str, Any], label: str) -> dict[str, Any]:
        keys = (gap["model"], gap["setting"], gap["variant"])
        train, unmon = rates.get((*keys, "training"), {}), rates.get((*keys, "unmonitored"), {})
        return {
            "label": label,
            "gap": gap,
            "training": train,
            "unmonitored": unmon,
            "warning": train.get("warning") or unmon.get("warning"),
        }

    tables = []
    for (setting, variant), gaps in sorted(by_models.items()):
        if len(gaps) > 1:
            tables.append({
                "title": f"Setting {setting}, variant {variant}, across models",
                "row_label": "model",
                "rows": [row(g, g["model"]) for g in gaps],
            })  # fmt: skip
    for (model, setting), gaps in sorted(by_variants.items()):
        if len(gaps) > 1:
            tables.append({
                "title": f"Model {model}, setting {setting}, across variants",
                "row_label": "variant",
                "rows": [row(g, g["variant"]) for g in gaps],
            })  # fmt: skip
    return tables
