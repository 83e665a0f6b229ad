"""Which classifier, threshold and validation figure stand behind each rate of a condition."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pandas as pd

from aflab.classifiers import provenance

__all__ = ["rate_provenance", "with_threshold"]


def _read(raw: Any) -> dict[str, Any] | None:
    """A logged provenance: a dict in the sample table, JSON text in a table read from CSV."""
    if isinstance(raw, dict):
        return raw
    if not isinstance(raw, str):
        return None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError:
        return None
    return data if isinstance(data, dict) else None


def with_threshold(raw: Any, threshold: float) -> Any:
    """A logged provenance with its threshold replaced; other values unchanged."""
    data = _read(raw)
    if data is None:
        return raw
    changed = {**data, "threshold": threshold}
    return changed if isinstance(raw, dict) else json.dumps(changed)


def _combine(found: list[dict[str, Any]]) -> dict[str, Any]:
    """One provenance for a rate; when samples disagree, every classifier with its count."""
    if not found:
        # No sample of the condition was scored, so no classifier stands behind the rate.
        return provenance(None).as_dict() | {"classifier": "none (no sample scored)"}
    keys = Counter(json.dumps(p, sort_keys=True) for p in found)
    if len(keys) == 1:
        return found[0]
    classifiers = Counter(str(p.get("classifier")) for p in found)
    return {
        "classifier": "mixed: " + ", ".join(f"{c} ({n})" for c, n in classifiers.most_common()),
        "threshold": None,
        "validation": None,
        "parts": [json.loads(k) | {"n": n} for k, n in keys.most_common()],
    }


def rate_provenance(rows: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """The provenance of a condition's alignment-faking and compliance rates.

    Read from the samples' logged provenance (`af_provenance`, and `provenance` inside
    `compliance_details`); logs written before provenance was recorded fall back to the
    classifier name alone (`af_classifier`, `compliance_method`).

    Args:
        rows: The condition's rows of the sample table.

    Returns:
        ``{"af_rate": {...}, "compliance_rate": {...}}``, each with ``classifier``
        (``local``, ``heuristic``, ``tag``, ``judge:<model>``, or ``mixed: ...``),
        ``threshold`` and ``validation`` (None when unknown).
    """
    af: list[dict[str, Any]] = []
    for raw, name in zip(rows.get("af_provenance", pd.Series([None] * len(rows))),
                         rows.get("af_classifier", pd.Series([None] * len(rows))), strict=True):
        logged = _read(raw)
        if logged is not None:
            af.append(logged)
        elif isinstance(name, str):
            af.append(provenance(name).as_dict())
    comply: list[dict[str, Any]] = []
    for raw, method in zip(rows.get("compliance_details", pd.Series([None] * len(rows))),
                           rows.get("compliance_method", pd.Series([None] * len(rows))),
                           strict=True):
        details = _read(raw) or {}
        logged = details.get("provenance")
        if isinstance(logged, dict):
            comply.append(logged)
        elif isinstance(method, str):
            comply.append(provenance(method).as_dict())
    return {"af_rate": _combine(af), "compliance_rate": _combine(comply)}
