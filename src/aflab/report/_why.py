"""The "Why it fakes" section: gaps under the goal-guarding ablations, and gap vs oversight.

Built only when the run holds a base condition together with at least one ablation of it
(`rated_not_trained`, `trained_not_deployed`, ...) or several oversight shares. Everything it
shows comes from the gaps the report has already computed; nothing is recomputed.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

from aflab.analysis import (
    AblationRow,
    GapPoint,
    OversightCurve,
    WhyReading,
    oversight_curves,
    why_table,
)
from aflab.report._figures import _save
from aflab.report._frame_figures import MODEL_COLORS
from aflab.report._html import ReportSection

__all__ = ["WHY_TITLE", "oversight_figure", "why_section"]

WHY_TITLE = "Why it fakes"

_READINGS = (
    ("rater_sycophancy", "rater sycophancy"),
    ("instrumental_goal_guarding", "instrumental goal guarding"),
    ("terminal_goal_guarding", "terminal goal guarding"),
)


def _num(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _point(g: GapPoint) -> dict[str, Any]:
    return {"variant": g.variant, "gap": _num(g.gap), "ci": [_num(g.lo), _num(g.hi)],
            "n_pairs": g.n_pairs, "warning": g.warning}  # fmt: skip


def _reading(reading: WhyReading) -> list[dict[str, str]]:
    return [{"name": label, "support": str(getattr(reading, key))} for key, label in _READINGS]


def _row(row: AblationRow) -> dict[str, Any]:
    return {
        "model": row.model,
        "setting": row.setting,
        "base": row.base,
        "default": _point(row.default),
        "ablations": [
            {"item": item, "status": row.statuses[item], **_point(g)}
            for item, g in row.ablations.items()
        ],
        "default_gap": row.reading.default_gap,
        "readings": _reading(row.reading),
        "because": list(row.reading.because),
    }


def oversight_figure(
    curves: Sequence[OversightCurve], out_dir: str | Path, name: str = "gap_vs_oversight"
) -> list[Path]:
    """The compliance gap against the share of free-tier conversations used for training.

    One line per model, setting and base variant; each point carries its 95% interval.

    Args:
        curves: Output of `aflab.analysis.oversight_curves`.
        out_dir: Directory for `{name}.png` and `{name}.svg`.
        name: File stem.

    Returns:
        Paths of the PNG and the SVG.
    """
    fig = Figure(figsize=(7, 4.2))
    ax = fig.subplots()
    for index, curve in enumerate(curves):
        color = MODEL_COLORS[index % len(MODEL_COLORS)]
        shares = [share for share, _ in curve.points]
        gaps = [100 * g.gap for _, g in curve.points]
        ax.plot(shares, gaps, "o-", color=color, lw=1.2, markersize=4,
                label=f"{curve.model} · {curve.setting} · {curve.base}")  # fmt: skip
        for share, g in curve.points:
            if not (math.isnan(g.lo) or math.isnan(g.hi)):
                ax.plot([share, share], [100 * g.lo, 100 * g.hi], color=color, lw=1)
    ax.axhline(0, color="grey", lw=1, ls="--")
    ax.set_xlim(-0.05, 1.05)
    ax.set_xlabel("share of free-tier conversations used for training (oversight=P)")
    ax.set_ylabel("compliance gap, training − unmonitored\n(percentage points, 95% CI)")
    ax.set_title("Compliance gap against oversight", fontsize=10)
    if curves:
        ax.legend(fontsize=7, frameon=False, loc="best")
    return _save(fig, Path(out_dir), name)


def why_section(
    gaps: Sequence[Mapping[str, Any]], out_dir: str | Path
) -> tuple[ReportSection, list[Path]] | None:
    """The report section reading the goal-guarding ablations and the oversight doses.

    Args:
        gaps: The gap entries of `summarize`'s payload.
        out_dir: Directory for the gap-versus-oversight figure.

    Returns:
        The section and its figure files, or None when the run has neither an ablation
        beside its base condition nor two oversight shares.
    """
    points = [GapPoint.from_entry(entry) for entry in gaps]
    rows = why_table(points)
    curves = oversight_curves(points)
    if not rows and not curves:
        return None
    paths = oversight_figure(curves, out_dir) if curves else []
    png = next((p for p in paths if p.suffix == ".png"), None)
    context = {
        "rows": [_row(row) for row in rows],
        "curves": [
            {
                "model": c.model,
                "setting": c.setting,
                "base": c.base,
                "points": [{"share": share, **_point(g)} for share, g in c.points],
            }
            for c in curves
        ],
        "figure": base64.b64encode(png.read_bytes()).decode("ascii") if png else None,
        "figure_svg": next((p.name for p in paths if p.suffix == ".svg"), None),
    }
    section = ReportSection(WHY_TITLE, template="partials/why.html.j2", context={"why": context})
    return section, paths
