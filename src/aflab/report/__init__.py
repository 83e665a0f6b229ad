"""Figures and the self-contained HTML report."""

from aflab.report._figures import COLORS, gap_forest, make_figures, tier_bars
from aflab.report._frame_figures import MODEL_COLORS, preservation_figure
from aflab.report._html import (
    PAGE_SIZE,
    ReportResult,
    ReportSection,
    build_report,
    render_report,
)
from aflab.report._reasoning import REASONING_TITLE, reasoning_section
from aflab.report._records import MAX_CHARS, MAX_VOTES, browser_records, comparisons, trim
from aflab.report._two_frames import (
    EXAMPLE_CHARS,
    SECTION_TITLE,
    frame_examples,
    two_frames_section,
)
from aflab.report._why import WHY_TITLE, oversight_figure, why_section

__all__ = [
    "COLORS",
    "EXAMPLE_CHARS",
    "MAX_CHARS",
    "MAX_VOTES",
    "MODEL_COLORS",
    "PAGE_SIZE",
    "REASONING_TITLE",
    "SECTION_TITLE",
    "WHY_TITLE",
    "ReportResult",
    "ReportSection",
    "browser_records",
    "build_report",
    "comparisons",
    "frame_examples",
    "gap_forest",
    "make_figures",
    "oversight_figure",
    "preservation_figure",
    "reasoning_section",
    "render_report",
    "tier_bars",
    "trim",
    "two_frames_section",
    "why_section",
]
