"""One analysis per report: the sample table, its rates and gaps, computed once.

The terminal summary (`format_summary`), ``results.json`` (`Analysis.write_json`) and the HTML
report (`aflab.report`) all render the same `Analysis`; none of them computes a gap again.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from aflab.analysis._gap import compliance_gaps
from aflab.analysis._load import LogSource, log_files, samples_table
from aflab.analysis._relabel import relabel_faking
from aflab.analysis._summary import format_summary, summarize
from aflab.analysis._types import Gap

__all__ = ["Analysis", "analyze"]


@dataclass(frozen=True)
class Analysis:
    """What a report shows, computed once.

    Attributes:
        table: The tidy sample table (`samples_table`), structured cells kept as lists/dicts.
        gaps: The compliance gap of every condition (`compliance_gaps`).
        summary: Rates per condition and tier and the gaps, JSON-safe (`summarize`).
        logs: The log files read.
    """

    table: pd.DataFrame
    gaps: tuple[Gap, ...]
    summary: dict[str, Any]
    logs: tuple[str, ...] = ()

    def payload(self, run: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The ``results.json`` payload: the logs, the summary and, for a run, its record."""
        payload: dict[str, Any] = {"logs": list(self.logs), **self.summary}
        if run is not None:
            payload["run"] = dict(run)
        return payload

    def write_json(self, path: str | Path, run: Mapping[str, Any] | None = None) -> Path:
        """Write `payload` as JSON (NaN is never written: the summary is JSON-safe)."""
        target = Path(path)
        target.write_text(json.dumps(self.payload(run), indent=2, allow_nan=False),
                          encoding="utf-8")  # fmt: skip
        return target

    def format(self) -> str:
        """The plain-text tables for the terminal (`format_summary`)."""
        return format_summary(self.summary)


def analyze(
    logs: LogSource | Sequence[LogSource] | pd.DataFrame,
    *,
    n_resamples: int = 2000,
    seed: int = 0,
    af_threshold: float | None = None,
) -> Analysis:
    """Read the logs (or take a sample table) and compute the report's analysis once.

    Args:
        logs: Log files or directories (searched recursively), or a sample table.
        n_resamples: Bootstrap resamples per gap.
        seed: Bootstrap seed.
        af_threshold: Relabel judge-scored scratchpads at this share of yes votes
            (`relabel_faking`); the threshold used at run time when None.

    Returns:
        The analysis.

    Raises:
        aflab.analysis.LogReadError: No logs found, or a log cannot be read.
    """
    if isinstance(logs, pd.DataFrame):
        files: list[str] = []
        table = logs
    else:
        files = log_files(logs)
        table = samples_table(files)
    if af_threshold is not None:
        table = relabel_faking(table, af_threshold)
    gaps = tuple(compliance_gaps(table, n_resamples=n_resamples, seed=seed) if len(table) else ())
    summary = summarize(table, gaps=gaps)
    return Analysis(table=table, gaps=gaps, summary=summary, logs=tuple(files))
