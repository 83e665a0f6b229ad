"""Figures and the self-contained HTML report."""

from aflab.report._figures import COLORS, gap_forest, make_figures, tier_bars
from aflab.report._html import (
    PAGE_SIZE,
    ReportResult,
    ReportSection,
    build_report,
    render_report,
)
from aflab.report._records import MAX_CHARS, MAX_VOTES, browser_records, comparisons, trim

__all__ = [
    "COLORS",
    "MAX_CHARS",
    "MAX_VOTES",
    "PAGE_SIZE",
    "ReportResult",
    "ReportSection",
    "browser_records",
    "build_report",
    "comparisons",
    "gap_forest",
    "make_figures",
    "render_report",
    "tier_bars",
    "trim",
]
