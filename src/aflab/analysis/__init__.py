"""From Inspect logs to a tidy table and the statistics of the compliance gap."""

from aflab.analysis._analysis import Analysis, analyze
from aflab.analysis._dedupe import (
    SAMPLE_KEY,
    DuplicateSamples,
    LogWarning,
    collect_log_warnings,
    count_each_sample_once,
    drop_duplicate_samples,
)
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
from aflab.analysis._pooling import (
    POOLING_METHOD,
    PooledGap,
    RandomEffects,
    pool_gaps,
    pool_paraphrases,
    random_effects,
    split_paraphrase,
)
from aflab.analysis._power import paired_power, power_queries
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
from aflab.analysis._why import GapStatus, Support, WhyReading, gap_status, why_it_fakes

__all__ = [
    "BASE_COLUMNS",
    "CONDITION_KEYS",
    "FRAME_KEYS",
    "FRAME_THRESHOLD",
    "MAX_JUDGE_FAILURE_SHARE",
    "MIN_FORMAT_ADHERENCE",
    "PAIRED_COVERAGE",
    "POOLING_METHOD",
    "PRESERVATION_FRAMES",
    "SAMPLE_KEY",
    "SMALL_N",
    "TIERS",
    "Analysis",
    "AnalysisError",
    "ChannelRow",
    "DuplicateSamples",
    "Gap",
    "GapMethod",
    "GapStatus",
    "IntervalMethod",
    "InterviewRow",
    "LogReadError",
    "LogWarning",
    "PooledGap",
    "RandomEffects",
    "Rate",
    "ReadingRow",
    "Support",
    "TierBreakdown",
    "ValueProfile",
    "VariantAxes",
    "WhyReading",
    "analyze",
    "channel_table",
    "collect_log_warnings",
    "compliance_gap",
    "compliance_gaps",
    "count_each_sample_once",
    "drop_duplicate_samples",
    "export_table",
    "format_summary",
    "frames_methods",
    "gap_status",
    "has_frames",
    "holm",
    "interview_summary",
    "log_files",
    "paired_power",
    "pool_gaps",
    "pool_paraphrases",
    "power_queries",
    "preservation_profile",
    "random_effects",
    "rate",
    "relabel_faking",
    "samples_table",
    "score_columns",
    "split_paraphrase",
    "summarize",
    "tier_breakdown",
    "two_readings",
    "variant_axes",
    "why_it_fakes",
]
