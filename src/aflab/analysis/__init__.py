"""From Inspect logs to a tidy table and the statistics of the compliance gap."""

from aflab.analysis._analysis import Analysis, analyze
from aflab.analysis._frame_types import (
    ChannelRow,
    InterviewRow,
    ReadingRow,
    ValueProfile,
    VariantAxes,
)
from aflab.analysis._frames import (
    FRAME_KEYS,
    FRAME_THRESHOLD,
    PRESERVATION_FRAMES,
    SMALL_N,
    channel_table,
    frames_methods,
    has_frames,
    interview_summary,
    preservation_profile,
    two_readings,
    variant_axes,
)
from aflab.analysis._gap import (
    CONDITION_KEYS,
    PAIRED_COVERAGE,
    compliance_gap,
    compliance_gaps,
)
from aflab.analysis._load import BASE_COLUMNS, export_table, log_files, samples_table
from aflab.analysis._power import power_queries
from aflab.analysis._rates import TIERS, holm, rate, tier_breakdown
from aflab.analysis._relabel import relabel_faking
from aflab.analysis._scores import score_columns
from aflab.analysis._summary import (
    MAX_JUDGE_FAILURE_SHARE,
    MIN_FORMAT_ADHERENCE,
    format_summary,
    summarize,
)
from aflab.analysis._types import (
    AnalysisError,
    Gap,
    GapMethod,
    IntervalMethod,
    LogReadError,
    Rate,
    TierBreakdown,
)

__all__ = [
    "BASE_COLUMNS",
    "CONDITION_KEYS",
    "FRAME_KEYS",
    "FRAME_THRESHOLD",
    "MAX_JUDGE_FAILURE_SHARE",
    "MIN_FORMAT_ADHERENCE",
    "PAIRED_COVERAGE",
    "PRESERVATION_FRAMES",
    "SMALL_N",
    "TIERS",
    "Analysis",
    "AnalysisError",
    "ChannelRow",
    "Gap",
    "GapMethod",
    "IntervalMethod",
    "InterviewRow",
    "LogReadError",
    "Rate",
    "ReadingRow",
    "TierBreakdown",
    "ValueProfile",
    "VariantAxes",
    "analyze",
    "channel_table",
    "compliance_gap",
    "compliance_gaps",
    "export_table",
    "format_summary",
    "frames_methods",
    "has_frames",
    "holm",
    "interview_summary",
    "log_files",
    "power_queries",
    "preservation_profile",
    "rate",
    "relabel_faking",
    "samples_table",
    "score_columns",
    "summarize",
    "tier_breakdown",
    "two_readings",
    "variant_axes",
]
