"""Gaps lined up for the "why it fakes" panel and the gap-versus-oversight curve.

Both read the per-condition gaps a report already holds: a condition whose variant adds one
goal-guarding ablation (or `oversight=P`) to another condition of the same model and setting
is compared with that base condition, so an ablation combined with other items (a paraphrase,
a channel) is compared with the same items without it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aflab.analysis._why import GapStatus, WhyReading, gap_status, why_it_fakes

__all__ = [
    "ABLATION_ITEMS",
    "AblationRow",
    "GapPoint",
    "OversightCurve",
    "oversight_curves",
    "why_table",
]

ABLATION_ITEMS: tuple[str, ...] = (
    "rated_not_trained",
    "trained_not_deployed",
    "no_change_if_comply",
    "developer_trust=low",
    "no_training",
)
"""Variant items shown beside their base condition, in display order. The first two decide
the readings (`why_it_fakes`); the others are shown for context, followed by any developer
swap (`company=NAME`, `company=auto`)."""

_OVERSIGHT = "oversight="
_COMPANY = "company="


@dataclass(frozen=True)
class GapPoint:
    """One condition's compliance gap, as the report holds it.

    Attributes:
        model: Model name.
        setting: Setting name.
        variant: Canonical variant spec.
        gap: Headline gap (NaN when undefined).
        lo: Lower end of its 95% interval (NaN when undefined).
        hi: Upper end of its 95% interval (NaN when undefined).
        n_pairs: Complete pairs behind it.
        warning: The reliability warning of its rates, if any.
    """

    model: str
    setting: str
    variant: str
    gap: float
    lo: float
    hi: float
    n_pairs: int = 0
    warning: str | None = None

    @classmethod
    def from_entry(cls, entry: Mapping[str, Any]) -> GapPoint:
        """From a gap entry of `summarize`'s payload (None values read as NaN)."""
        lo, hi = entry.get("gap_ci") or (None, None)
        return cls(
            model=str(entry["model"]),
            setting=str(entry["setting"]),
            variant=str(entry["variant"]),
            gap=_float(entry.get("gap")),
            lo=_float(lo),
            hi=_float(hi),
            n_pairs=int(entry.get("n_pairs") or 0),
            warning=entry.get("warning"),
        )


@dataclass(frozen=True)
class AblationRow:
    """A base condition and its gap under each goal-guarding ablation that was run.

    Attributes:
        model: Model name.
        setting: Setting name.
        base: Variant of the base condition (`default` for the plain prompt).
        default: The base condition's gap.
        ablations: Ablation item -> its gap, for the items of `ABLATION_ITEMS` and the
            `company=` swaps that were run.
        statuses: Ablation item -> what it did to the base gap (`gap_status`).
        reading: The readings the pattern supports (`why_it_fakes`).
    """

    model: str
    setting: str
    base: str
    default: GapPoint
    ablations: dict[str, GapPoint]
    statuses: dict[str, GapStatus]
    reading: WhyReading


@dataclass(frozen=True)
class OversightCurve:
    """The gap of one base condition at several oversight shares.

    Attributes:
        model: Model name.
        setting: Setting name.
        base: Variant without its `oversight=P` item.
        points: (share, gap) pairs sorted by share; the base condition, whose prompt says
            every free-tier conversation is used, stands at share 1.0.
    """

    model: str
    setting: str
    base: str
    points: tuple[tuple[float, GapPoint], ...]


def _float(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return math.nan
    return number if math.isfinite(number) else math.nan


def _without(variant: str, item: str) -> str:
    rest = [part for part in variant.split("+") if part != item]
    return "+".join(rest) or "default"


def _ablation_items(variant: str) -> list[str]:
    parts = variant.split("+")
    return [p for p in parts if p in ABLATION_ITEMS or p.startswith(_COMPANY)]


def _display_order(item: str) -> tuple[int, str]:
    if item in ABLATION_ITEMS:
        return ABLATION_ITEMS.index(item), ""
    return len(ABLATION_ITEMS), item


def why_table(gaps: Sequence[GapPoint]) -> list[AblationRow]:
    """Line up each base condition with its gaps under the goal-guarding ablations.

    Args:
        gaps: Every condition's gap.

    Returns:
        One row per (model, setting, base variant) that was run together with at least one
        variant adding an item of `ABLATION_ITEMS` or a `company=` swap to it, in order of
        model, setting, base.
    """
    index = {(g.model, g.setting, g.variant): g for g in gaps}
    found: dict[tuple[str, str, str], dict[str, GapPoint]] = {}
    for g in gaps:
        for item in _ablation_items(g.variant):
            key = (g.model, g.setting, _without(g.variant, item))
            if key in index:
                found.setdefault(key, {})[item] = g
    rows: list[AblationRow] = []
    for key in sorted(found):
        base = index[key]
        ablations = {item: found[key][item] for item in sorted(found[key], key=_display_order)}
        rows.append(
            AblationRow(
                model=key[0],
                setting=key[1],
                base=key[2],
                default=base,
                ablations=ablations,
                statuses={item: gap_status(base, g) for item, g in ablations.items()},
                reading=why_it_fakes(
                    base,
                    rated_not_trained=ablations.get("rated_not_trained"),
                    trained_not_deployed=ablations.get("trained_not_deployed"),
                ),
            )
        )
    return rows


def oversight_curves(gaps: Sequence[GapPoint]) -> list[OversightCurve]:
    """The gap against the oversight share, per model, setting and base variant.

    Args:
        gaps: Every condition's gap.

    Returns:
        One curve per (model, setting, base) with at least two shares (the base condition
        counts as share 1.0), in order of model, setting, base.
    """
    index = {(g.model, g.setting, g.variant): g for g in gaps}
    curves: dict[tuple[str, str, str], dict[float, GapPoint]] = {}
    for g in gaps:
        items = [part for part in g.variant.split("+") if part.startswith(_OVERSIGHT)]
        if len(items) != 1:
            continue
        share = _float(items[0].removeprefix(_OVERSIGHT))
        if math.isnan(share):
            continue
        key = (g.model, g.setting, _without(g.variant, items[0]))
        curves.setdefault(key, {})[share] = g
    result: list[OversightCurve] = []
    for key in sorted(curves):
        points = dict(curves[key])
        if key in index and 1.0 not in points:
            points[1.0] = index[key]
        if len(points) >= 2:
            result.append(OversightCurve(*key, points=tuple(sorted(points.items()))))
    return result
