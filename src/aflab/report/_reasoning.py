"""The "Reasoning read" section: which text the classifiers read in each condition.

Built only when a condition ran with `reasoning=native`. For each condition it says whether
the alignment-faking and frame classifiers read the prompted scratchpad or the reasoning
content the provider returned, and how many samples were left unscored because that
reasoning was withheld (and why).
"""

from __future__ import annotations

import pandas as pd

from aflab.analysis import CONDITION_KEYS
from aflab.contract import FakingResult
from aflab.parsing import NATIVE_UNSCORED
from aflab.report._html import ReportSection

__all__ = ["REASONING_TITLE", "reasoning_section"]

REASONING_TITLE = "Reasoning read"
_NATIVE_ITEM = "reasoning=native"


def _native(variant: str) -> bool:
    return _NATIVE_ITEM in str(variant).split("+")


def _reason_counts(reasons: pd.Series) -> dict[str, int]:
    """Samples whose alignment-faking score is unscored for each withheld-reasoning reason.

    Args:
        reasons: The alignment-faking scorer's unscored reasons (``af_unscored``).
    """
    return {code: int((reasons == code).sum()) for code in NATIVE_UNSCORED}


def reasoning_section(df: pd.DataFrame) -> ReportSection | None:
    """The section naming the classified text of every condition.

    Args:
        df: Sample table (`aflab.analysis.samples_table`).

    Returns:
        The section, or None when no condition reasons natively.
    """
    if not len(df) or not df["variant"].map(_native).any():
        return None
    rows = []
    for keys, group in df.groupby(list(CONDITION_KEYS), sort=True, dropna=False):
        model, setting, variant = (str(k) for k in keys)
        native = _native(variant)
        counts = _reason_counts(group[FakingResult.unscored_column()]) if native else {}
        rows.append({
            "model": model, "setting": setting, "variant": variant,
            "text": "native reasoning content returned by the provider" if native
            else "<SCRATCHPAD_REASONING> blocks of the reply",
            "n": len(group),
            "read": int(group["af_score"].notna().sum()),
            "withheld": [
                {"reason": NATIVE_UNSCORED[code], "code": code, "n": n}
                for code, n in counts.items() if n
            ],
        })  # fmt: skip
    return ReportSection(
        REASONING_TITLE, template="partials/reasoning.html.j2", context={"reasoning": rows}
    )
