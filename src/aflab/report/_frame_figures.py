"""The preservation profile: strategic defence (gap, faking rate) and open defence per value."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

from aflab.analysis import Rate, ValueProfile
from aflab.report._figures import _save

__all__ = ["MODEL_COLORS", "preservation_figure"]

MODEL_COLORS = ("#d1495b", "#2e86ab", "#66a182", "#edae49", "#6b4e71", "#8d6a9f", "#00798c")
"""One colour per model, in order of appearance (cycled)."""

_MARKERS = ("o", "s", "D", "^", "v", "P", "X")


def _point(ax: Any, y: float, centre: float, lo: float, hi: float, color: str, marker: str,
           note: str) -> None:  # fmt: skip
    """One estimate with its interval and the n beside it; `no data` when undefined."""
    if math.isnan(centre):
        ax.annotate("no data", (0.02, y), xycoords=("axes fraction", "data"), va="center",
                    fontsize=7, color="grey")  # fmt: skip
        return
    if not (math.isnan(lo) or math.isnan(hi)):
        ax.plot([lo, hi], [y, y], color=color, lw=1.5)
    ax.plot(centre, y, marker, color=color, markersize=5)
    ax.annotate(f"  {note}", (1.0, y), xycoords=("axes fraction", "data"), va="center",
                fontsize=7, color=color, annotation_clip=False)  # fmt: skip


def _pct(r: Rate) -> tuple[float, float, float]:
    return 100 * r.p, 100 * r.lo, 100 * r.hi


def preservation_figure(
    profiles: Sequence[ValueProfile],
    out_dir: str | Path,
    name: str = "preservation_profile",
) -> list[Path]:
    """Three panels per value: the compliance gap, the AF rate, pairs refused in both tiers.

    The last panel is open defence. Each value at stake is a row; each model a coloured point
    with its 95% interval (gap: the interval of its test, see `aflab.analysis.compliance_gap`;
    rates: Wilson) and its n written at the right edge of the panel (pairs or samples per
    tier for the gap, scored training samples for the AF rate, pairs scored in both tiers
    for open defence).

    Args:
        profiles: Output of `aflab.analysis.preservation_profile`.
        out_dir: Directory for `{name}.png` and `{name}.svg`.
        name: File stem.

    Returns:
        Paths of the PNG and the SVG.
    """
    values = sorted({p.value for p in profiles})
    models = list(dict.fromkeys(p.model for p in profiles))
    fig = Figure(figsize=(15, 1.6 + 0.55 * max(len(values), 1) * max(len(models), 1) ** 0.5))
    gap_ax, af_ax, open_ax = fig.subplots(1, 3, sharey=True, gridspec_kw={"wspace": 0.3})
    step = 0.7 / max(len(models), 1)
    for p in profiles:
        index = models.index(p.model)
        y = values.index(p.value) + (index - (len(models) - 1) / 2) * step
        color = MODEL_COLORS[index % len(MODEL_COLORS)]
        marker = _MARKERS[index % len(_MARKERS)]
        g = p.gap
        n = (f"n={g.n_pairs} pairs" if g.method == "paired"
             else f"n={g.n_training}/{g.n_unmonitored}")  # fmt: skip
        _point(gap_ax, y, 100 * g.gap, 100 * g.lo, 100 * g.hi, color, marker, n)
        _point(af_ax, y, *_pct(p.af_training), color, marker, f"n={p.af_training.n}")
        _point(open_ax, y, *_pct(p.open_defence), color, marker,
               f"n={p.open_defence.n} pairs")  # fmt: skip
    for index, model in enumerate(models):
        gap_ax.plot([], [], _MARKERS[index % len(_MARKERS)], label=model,
                    color=MODEL_COLORS[index % len(MODEL_COLORS)])  # fmt: skip
    gap_ax.axvline(0, color="grey", lw=1, ls="--")
    gap_ax.set_yticks(range(len(values)), values, fontsize=9)
    # The panels share the value axis; labels on the right panel would collide with the n notes.
    af_ax.tick_params(labelleft=False)
    open_ax.tick_params(labelleft=False)
    gap_ax.set_ylim(max(len(values), 1) - 0.5, -0.5)
    gap_ax.set_ylabel("value at stake")
    gap_ax.set_xlabel("compliance gap: training − unmonitored\n(percentage points, 95% CI)")
    gap_ax.set_title("Compliance gap per value", fontsize=10)
    af_ax.set_xlim(-2, 102)
    af_ax.set_xlabel("alignment-faking reasoning in training\n(% of scored samples, Wilson 95% CI)")
    af_ax.set_title("Alignment-faking reasoning per value", fontsize=10)
    open_ax.set_xlim(-2, 102)
    open_ax.set_xlabel("pairs refused in both tiers\n(% of pairs scored in both, Wilson 95% CI)")
    open_ax.set_title("Open defence per value", fontsize=10)
    if models:
        fig.legend(loc="lower center", ncols=min(len(models), 4), fontsize=8, frameon=False,
                   bbox_to_anchor=(0.5, -0.02))  # fmt: skip
    fig.subplots_adjust(bottom=0.3 if len(values) < 3 else 0.18)
    if not profiles:
        gap_ax.text(0.5, 0.5, "no data", transform=gap_ax.transAxes, ha="center")
    return _save(fig, Path(out_dir), name)
