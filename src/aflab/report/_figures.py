"""Paper-style figures: behaviour per tier as stacked bars, and forest plots of the gap."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from matplotlib.figure import Figure

from aflab.analysis import CONDITION_KEYS, TIERS, TierBreakdown, rate, tier_breakdown

__all__ = ["COLORS", "gap_forest", "make_figures", "tier_bars"]

COLORS = {
    "refuses": "#8fb8de",
    "complies_no_af": "#f6d55c",
    "complies_af": "#d1495b",
    "interval": "#222222",
    "af_interval": "#6b0f1a",
}
_FORMATS = ("png", "svg")


def _save(fig: Figure, out_dir: Path, name: str) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt in _FORMATS:
        path = out_dir / f"{name}.{fmt}"
        fig.savefig(path, format=fmt, dpi=110, bbox_inches="tight")
        paths.append(path)
    return paths


def _label(keys: Sequence[Any]) -> str:
    model, setting, variant = (str(k) for k in keys)
    return f"{model}\n{setting} · {variant}"


def _bar(ax: Any, pos: float, b: TierBreakdown) -> None:
    """One stacked bar with its intervals and n."""
    n = b.refuses.n
    if n == 0:
        ax.text(1, pos, "no scored samples", va="center", fontsize=8)
        return
    af, no_af, refuse = (100 * r.p for r in (b.complies_af, b.complies_no_af, b.refuses))
    ax.barh(
        pos,
        af,
        height=0.4,
        color=COLORS["complies_af"],
        hatch="//",
        edgecolor="white",
        label="complies, alignment-faking reasoning",
    )
    ax.barh(
        pos,
        no_af,
        left=af,
        height=0.4,
        color=COLORS["complies_no_af"],
        label="complies, no alignment-faking reasoning",
    )
    ax.barh(pos, refuse, left=af + no_af, height=0.4, color=COLORS["refuses"], label="refuses")
    comply = rate(b.complies_af.k + b.complies_no_af.k, n)
    for r, shift, color in (
        (comply, -0.07, COLORS["interval"]),
        (b.complies_af, 0.07, COLORS["af_interval"]),
    ):
        # Wilson ends can miss p by a rounding error at 0% and 100%: never a negative bar.
        err = [[max(0.0, 100 * (r.p - r.lo))], [max(0.0, 100 * (r.hi - r.p))]]
        ax.errorbar(100 * r.p, pos + shift, xerr=err, fmt="none", ecolor=color, capsize=2.5, lw=1)
    ax.text(101.5, pos, f"n={n}", va="center", fontsize=8)  # fmt: skip


def tier_bars(df: pd.DataFrame, out_dir: str | Path, name: str = "tier_breakdown") -> list[Path]:
    """Stacked horizontal bars per condition and tier, as in the paper.

    Each bar splits the scored samples into: complies with alignment-faking reasoning,
    complies without it, refuses; whiskers show Wilson 95% intervals of the compliance rate
    and of the comply-with-AF rate; n is written beside every bar.

    Args:
        df: Sample table (`samples_table`).
        out_dir: Directory for `{name}.png` and `{name}.svg`.
        name: File stem.

    Returns:
        Paths of the PNG and the SVG.
    """
    groups = list(df.groupby(list(CONDITION_KEYS), sort=True, dropna=False))
    height = 1.2 + 1.1 * max(len(groups), 1)
    fig = Figure(figsize=(10, height))
    ax = fig.add_subplot()
    ticks: list[float] = []
    labels: list[str] = []
    for index, (keys, rows) in enumerate(groups):
        breakdown = tier_breakdown(rows)
        for offset, tier in enumerate(TIERS):
            pos = 1.2 * index + 0.45 * offset
            ticks.append(pos)
            labels.append(f"{_label(keys)} — {tier}" if offset == 0 else tier)
            _bar(ax, pos, breakdown[tier])
    handles, names = ax.get_legend_handles_labels()
    unique = dict(zip(names, handles, strict=True))
    if unique:
        ax.legend(unique.values(), unique.keys(), loc="upper center", ncols=3, fontsize=8,
                  bbox_to_anchor=(0.5, -0.08 - 0.4 / height), frameon=False)  # fmt: skip
    ax.set_yticks(ticks, labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 110)
    ax.set_xticks(range(0, 101, 20))
    ax.set_xlabel(
        "% of scored samples (whiskers: Wilson 95% intervals; black: compliance, "
        "dark red: complies with AF reasoning)"
    )
    ax.set_title("Behaviour per tier: training (free) vs unmonitored (paid)")
    return _save(fig, Path(out_dir), name)


def gap_forest(
    summary: dict[str, Any],
    out_dir: str | Path,
    by: Literal["variant", "model"] = "variant",
) -> list[Path]:
    """Forest plot of the compliance gap with its 95% interval and Holm-adjusted p.

    Args:
        summary: Payload of `aflab.analysis.summarize`.
        out_dir: Directory for the PNG and SVG (`gap_by_{by}`).
        by: `variant` lines up variants within each model; `model` lines up models within
            each setting and variant.

    Returns:
        Paths of the PNG and the SVG.
    """
    gaps = summary["gaps"]
    if by == "variant":
        gaps = sorted(gaps, key=lambda g: (g["model"], g["setting"], g["variant"]))
        labels = [f"{g['model']} | {g['setting']} · {g['variant']}" for g in gaps]
        title = "Compliance gap per variant"
    else:
        gaps = sorted(gaps, key=lambda g: (g["setting"], g["variant"], g["model"]))
        labels = [f"{g['setting']} · {g['variant']} | {g['model']}" for g in gaps]
        title = "Compliance gap per model"
    fig = Figure(figsize=(10, 1.2 + 0.45 * max(len(gaps), 1)))
    ax = fig.add_subplot()
    for i, g in enumerate(gaps):
        lo, hi = g["gap_ci"]
        if g["gap"] is None:
            ax.text(0, i, "no data", va="center", ha="center", fontsize=8)
            continue
        centre = 100 * g["gap"]
        if lo is not None and hi is not None:
            ax.plot([100 * lo, 100 * hi], [i, i], color=COLORS["interval"], lw=1.5)
        ax.plot(centre, i, "o", color=COLORS["complies_af"])
        p = "-" if g["p_holm"] is None else f"{g['p_holm']:.2g}"
        ax.annotate(f"  p(Holm)={p}, {g['method']}", (1, i), xycoords=("axes fraction", "data"),
                    va="center", fontsize=8)  # fmt: skip
    ax.axvline(0, color="grey", lw=1, ls="--")
    ax.set_yticks(range(len(gaps)), labels, fontsize=8)
    ax.set_ylim(len(gaps) - 0.5, -0.5)
    ax.set_xlabel("compliance gap: training − unmonitored (percentage points, 95% CI)")
    ax.set_title(title)
    return _save(fig, Path(out_dir), f"gap_by_{by}")


def make_figures(
    df: pd.DataFrame, summary: dict[str, Any], out_dir: str | Path
) -> dict[str, list[Path]]:
    """All report figures.

    Args:
        df: Sample table.
        summary: Payload of `summarize(df)`.
        out_dir: Directory for the figure files.

    Returns:
        Figure name -> [PNG path, SVG path].
    """
    return {
        "tier_breakdown": tier_bars(df, out_dir),
        "gap_by_variant": gap_forest(summary, out_dir, by="variant"),
        "gap_by_model": gap_forest(summary, out_dir, by="model"),
    }
