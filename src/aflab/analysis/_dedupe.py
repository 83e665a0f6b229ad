"""Count every sample once, whatever a log directory holds.

A log directory can hold a sample more than once: an interrupted run leaves its unfinished
log beside the log of the resumed run (which carries the finished samples over), and two
runs on one directory each write a log of the same condition. The analysis keys a sample by
`SAMPLE_KEY` and keeps one copy: the one from a completed log, then one without an error,
then the one from the log written last. What was dropped is reported, never silent.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass

import pandas as pd

__all__ = [
    "SAMPLE_KEY",
    "DuplicateSamples",
    "LogWarning",
    "collect_log_warnings",
    "count_each_sample_once",
    "drop_duplicate_samples",
]

SAMPLE_KEY: tuple[str, ...] = ("model", "setting", "variant", "tier", "query_id", "epoch")
"""The columns that identify one sample across logs."""

DUPLICATES_ATTR = "duplicates"


class LogWarning(UserWarning):
    """The logs hold something a reader of the results must know (copies, unfinished logs)."""


@dataclass(frozen=True)
class DuplicateSamples:
    """Samples found in more than one log.

    Attributes:
        dropped: Rows left out because another log holds the same sample.
        samples: Distinct samples that had more than one copy.
        logs: Logs whose copies were left out, sorted.
    """

    dropped: int = 0
    samples: int = 0
    logs: tuple[str, ...] = ()

    def describe(self) -> str:
        """One sentence for a warning."""
        return (
            f"{self.samples} sample(s) appear in more than one log; each is counted once "
            f"({self.dropped} copies left out, from {', '.join(self.logs)}). Completed logs "
            "win, then samples without errors, then the newest log."
        )


def _modified(path: str) -> float:
    try:
        return os.path.getmtime(path)
    except OSError:  # a log named but not on disk (a remote location): oldest
        return float("-inf")


def drop_duplicate_samples(frame: pd.DataFrame) -> tuple[pd.DataFrame, DuplicateSamples]:
    """Keep one row per `SAMPLE_KEY`, preferring completed logs, no error, the newest log.

    Args:
        frame: A sample table with the `SAMPLE_KEY`, ``log``, ``log_status`` and ``error``
            columns.

    Returns:
        The table without the extra copies (rows in their original order) and what was left
        out.
    """
    if frame.empty:
        return frame, DuplicateSamples()
    key = list(SAMPLE_KEY)
    copies = frame.duplicated(key, keep=False)
    if not copies.any():
        return frame, DuplicateSamples()
    modified = {log: _modified(str(log)) for log in frame["log"].unique()}
    rank = pd.DataFrame(
        {
            "unfinished": frame["log_status"] != "success",
            "errored": frame["error"].notna(),
            "age": -frame["log"].map(modified).astype(float),
            "log": frame["log"].astype(str),
        },
        index=frame.index,
    )
    order = rank.sort_values(["unfinished", "errored", "age", "log"], kind="stable").index
    ranked = frame.loc[order]
    keep = ~ranked.duplicated(key, keep="first")
    dropped = ranked[~keep]
    kept = ranked[keep].sort_index()
    report = DuplicateSamples(
        dropped=len(dropped),
        samples=int(frame[copies].drop_duplicates(key).shape[0]),
        logs=tuple(sorted(str(log) for log in dropped["log"].unique())),
    )
    return kept, report


def _unfinished_logs(frame: pd.DataFrame, kept: pd.DataFrame) -> list[str]:
    notes = []
    unfinished = frame[frame["log_status"] != "success"]
    for (log, status), rows in unfinished.groupby(["log", "log_status"], sort=True):
        counted = int((kept["log"] == log).sum())
        notes.append(
            f"log {log} is unfinished (status {status!r}); {counted} of its {len(rows)} "
            "sample(s) are counted. Run `aflab run` again with the same --log-dir to finish it."
        )
    return notes


def count_each_sample_once(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop extra copies of samples and warn about them and about unfinished logs.

    Each problem is issued as a `LogWarning`; the `DuplicateSamples` found is kept, as a
    dict, in ``frame.attrs["duplicates"]``.

    Args:
        frame: A sample table (`aflab.analysis.samples_table` before this step).

    Returns:
        The table with one row per sample.
    """
    kept, report = drop_duplicate_samples(frame)
    if not frame.empty:
        for note in _unfinished_logs(frame, kept):
            warnings.warn(note, LogWarning, stacklevel=3)
    if report.dropped:
        warnings.warn(report.describe(), LogWarning, stacklevel=3)
    kept = kept.reset_index(drop=True)
    # A plain dict, so that the table still writes to parquet (which stores attrs as JSON).
    kept.attrs[DUPLICATES_ATTR] = {**asdict(report), "logs": list(report.logs)}
    return kept


@contextmanager
def collect_log_warnings() -> Iterator[list[str]]:
    """Collect the `LogWarning` messages issued inside the block, each once, in order.

    The list is filled when the block ends; other warnings pass through unchanged.
    """
    notes: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", LogWarning)
        yield notes
    for warning in caught:
        if not issubclass(warning.category, LogWarning):
            warnings.warn_explicit(
                warning.message, warning.category, warning.filename, warning.lineno
            )
        elif str(warning.message) not in notes:
            notes.append(str(warning.message))
