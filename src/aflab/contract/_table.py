"""The columns of the tidy sample table, all derived from the contract's models."""

from __future__ import annotations

from aflab.contract._metadata import table_fields
from aflab.contract._scores import RESULTS

__all__ = ["AGGREGATE_COLUMNS", "LOG_COLUMNS", "TEXT_COLUMNS", "sample_columns", "value_columns"]

LOG_COLUMNS: tuple[str, ...] = ("log", "log_status", "model", "epoch", "sample_id", "error")
"""Where the sample comes from: log path and status, model, epoch, id, sample error."""

TEXT_COLUMNS: tuple[str, ...] = ("scratchpad", "output")
"""The main exchange's scratchpad and output text."""

AGGREGATE_COLUMNS: tuple[str, ...] = ("judge_failures", "unscored_reason")
"""Across scorers: failed judge votes, and every unscored reason as ``scorer: reason``."""


def value_columns() -> tuple[str, ...]:
    """The numeric columns: every scorer's value keys."""
    return tuple(key for result in RESULTS for key in result.value_keys())


def sample_columns() -> tuple[str, ...]:
    """Every column of the sample table, in order.

    Log columns, the metadata columns of `SampleMetadata`, the texts, each scorer's columns
    (`ScoreResult.table_columns`), then the aggregates. Other scorers' value keys follow in
    the table itself.
    """
    columns = [*LOG_COLUMNS, *table_fields(), *TEXT_COLUMNS]
    for result in RESULTS:
        columns.extend(result.table_columns())
    return (*columns, *AGGREGATE_COLUMNS)
