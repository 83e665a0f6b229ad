"""The data contract between aflab's parts: every sample field, score and column, once.

- `SampleMetadata`: what the task records about a sample (read with ``metadata_as``).
- `SolverRecord`: what the solvers record, in Inspect's store (read with ``store_as``).
- One `ScoreResult` per scorer (`FormatResult`, `ComplianceResult`, `FakingResult`,
  `FramesResult`): value keys, metadata, conversion to and from `Score`, table columns.
- `sample_columns`: the columns of the tidy sample table, derived from the above.

Adding a score means adding a field to a result model (or a new result model to `RESULTS`);
the scorer's metrics, the table and the documentation tables follow from it.
"""

from aflab.contract._docs import contract_markdown
from aflab.contract._metadata import SampleMetadata, Tier, TranscriptMetadata, table_fields
from aflab.contract._result import Count, ScoreResult, ValueKey, Yes, as_number
from aflab.contract._scores import (
    FRAMES,
    RESULTS,
    ComplianceResult,
    FakingResult,
    FormatResult,
    FrameReadingRecord,
    FramesResult,
    JudgeCalls,
    VoteRecord,
)
from aflab.contract._store import GRADER_ROLE, InterviewTurn, SolverRecord
from aflab.contract._table import (
    AGGREGATE_COLUMNS,
    LOG_COLUMNS,
    TEXT_COLUMNS,
    sample_columns,
    value_columns,
)

__all__ = [
    "AGGREGATE_COLUMNS",
    "FRAMES",
    "GRADER_ROLE",
    "LOG_COLUMNS",
    "RESULTS",
    "TEXT_COLUMNS",
    "ComplianceResult",
    "Count",
    "FakingResult",
    "FormatResult",
    "FrameReadingRecord",
    "FramesResult",
    "InterviewTurn",
    "JudgeCalls",
    "SampleMetadata",
    "ScoreResult",
    "SolverRecord",
    "Tier",
    "TranscriptMetadata",
    "ValueKey",
    "VoteRecord",
    "Yes",
    "as_number",
    "contract_markdown",
    "sample_columns",
    "table_fields",
    "value_columns",
]
