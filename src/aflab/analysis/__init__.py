"""From Inspect logs to a tidy table and the statistics of the compliance gap."""

from aflab.analysis._gap import (
    CONDITION_KEYS,
    PAIRED_COVERAGE,
    compliance_gap,
    compliance_gaps,
)
from aflab.analysis._load import BASE_COLUMNS, export_table, log_files, samples_table
from aflab.analysis._power import power_queries
from aflab.analysis._rates import TIERS, holm, rate, tier_breakdown
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
    "MAX_JUDGE_FAILURE_SHARE",
    "MIN_FORMAT_ADHERENCE",
    "PAIRED_COVERAGE",
    "TIERS",
    "AnalysisError",
    "Gap",
    "GapMethod",
    "IntervalMethod",
    "LogReadError",
    "Rate",
    "TierBreakdown",
    "compliance_gap",
    "compliance_gaps",
    "export_table",
    "format_summary",
    "holm",
    "log_files",
    "power_queries",
    "rate",
    "samples_table",
    "summarize",
    "tier_breakdown",
]
