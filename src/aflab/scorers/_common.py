"""Helpers shared by the scorers."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from inspect_ai.scorer import Metric, Score, mean, stderr


def metrics_for(keys: Sequence[str]) -> dict[str, list[Metric]]:
    """Mean and standard error for each value key."""
    return {key: [mean(), stderr()] for key in keys}


def nan_value(keys: Sequence[str]) -> dict[str, float]:
    """A value dict with every key NaN (skipped by metrics, counted as unscored)."""
    return dict.fromkeys(keys, math.nan)


def unscored(keys: Sequence[str], reason: str, metadata: dict[str, Any] | None = None,
             explanation: str | None = None) -> Score:
    """A score whose keys are all NaN, with ``unscored_reason`` in metadata and ``reason``."""
    return Score(value=nan_value(keys), reason=reason, explanation=explanation,
                 metadata={**(metadata or {}), "unscored_reason": reason})


def num(x: bool | float | None) -> float:
    """A bool or number as float; None as NaN."""
    return math.nan if x is None else float(x)
