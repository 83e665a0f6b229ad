"""Read Inspect eval logs into one tidy table, one row per sample.

Logs are read with `inspect_ai.log.read_eval_log` rather than `inspect_ai.analysis.samples_df`
because the table needs score metadata (votes, unscored reasons, classifier names) and the
parsed scratchpad, which `samples_df` does not flatten.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pandas as pd
from inspect_ai.log import EvalLog, EvalSample, list_eval_logs, read_eval_log

from aflab.analysis._dedupe import count_each_sample_once
from aflab.analysis._scores import score_columns, texts
from aflab.analysis._spreadsheet import write_csv
from aflab.analysis._types import LogReadError
from aflab.contract import SampleMetadata, sample_columns, table_fields, value_columns

__all__ = ["BASE_COLUMNS", "export_table", "log_files", "samples_table"]

LogSource = str | Path

BASE_COLUMNS: tuple[str, ...] = sample_columns()
"""Columns every table has, in order (`aflab.contract.sample_columns`); other scorers' value
keys follow them."""


def _local(name: str) -> str:
    return name.removeprefix("file://")


def log_files(logs: LogSource | Sequence[LogSource]) -> list[str]:
    """Expand files and directories (searched recursively) into a sorted list of log files.

    Directories are listed with `inspect_ai.log.list_eval_logs`: every `.eval` file, and
    `.json` files named as Inspect names its logs (starting with a timestamp), so that other
    JSON files (a report's `results.json`) are not taken for logs. A file path given directly
    is read whatever its name.

    Args:
        logs: One or more `.eval`/`.json` log files or directories holding them.

    Returns:
        Log file paths, sorted, without duplicates.

    Raises:
        LogReadError: A path does not exist, or no log is found at all.
    """
    sources = [logs] if isinstance(logs, str | Path) else list(logs)
    if not sources:
        raise LogReadError("no log paths given")
    found: set[str] = set()
    for source in sources:
        # Inspect reports log locations as file:// URIs (e.g. eval_set on a resumed run).
        path = Path(_local(str(source)))
        if path.is_dir():
            found.update(_local(info.name) for info in list_eval_logs(str(path), recursive=True))
        elif path.is_file():
            found.add(str(path))
        else:
            raise LogReadError(f"log path does not exist: {path}")
    if not found:
        raise LogReadError(f"no Inspect logs (.eval or .json) found in {[str(s) for s in sources]}")
    return sorted(found)


def _read(path: str) -> EvalLog:
    try:
        return read_eval_log(path, resolve_attachments="core")
    except Exception as exc:  # any parse or I/O failure names the file
        raise LogReadError(f"cannot read Inspect log {path}: {exc}") from exc


def _row(path: str, log: EvalLog, sample: EvalSample) -> dict[str, Any]:
    try:
        metadata = sample.metadata_as(SampleMetadata)
    except ValueError as exc:  # Inspect reports a validation error as a ValueError
        raise LogReadError(
            f"sample {sample.id!r} in {path}: {exc}\nis this a log of the aflab "
            "alignment_faking task?"
        ) from None
    scratchpad, output = texts(sample)
    row: dict[str, Any] = {
        "log": path,
        "log_status": log.status,
        # Classified transcripts name the model that wrote them, and their own epoch.
        "model": metadata.model or log.eval.model,
        "epoch": int(metadata.epoch or sample.epoch),
        "sample_id": str(sample.id),
        "error": sample.error.message if sample.error else None,
        **{name: getattr(metadata, name) for name in table_fields()},
        "scratchpad": scratchpad,
        "output": output,
    }
    row.update(score_columns(sample.scores))
    if row["error"] and not row["unscored_reason"]:
        row["unscored_reason"] = "sample error"
    return row


def _file_rows(path: str) -> list[dict[str, Any]]:
    log = _read(path)
    return [_row(path, log, sample) for sample in log.samples or []]


def _rows(paths: Sequence[str], workers: int | None) -> list[dict[str, Any]]:
    """Rows of every log, reading several logs in parallel processes where possible."""
    if workers is None:
        workers = min(len(paths), os.cpu_count() or 1)
    # Forked workers inherit the imported modules, so they start at once; where fork is not
    # available the logs are read one after the other.
    if workers <= 1 or len(paths) <= 1 or "fork" not in mp.get_all_start_methods():
        return [row for path in paths for row in _file_rows(path)]
    with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
        return [row for rows in pool.map(_file_rows, paths) for row in rows]


def samples_table(
    logs: LogSource | Sequence[LogSource], *, workers: int | None = None
) -> pd.DataFrame:
    """Read one or many Inspect logs into the tidy sample table of docs/architecture.md.

    Logs of unfinished runs are read for the samples they hold; samples that errored keep
    their row, with `error` filled and their scores NaN. A sample held by several logs is
    counted once (`aflab.analysis.count_each_sample_once`, which warns about the copies and
    about unfinished logs).

    Args:
        logs: `.eval`/`.json` log files or directories (searched recursively).
        workers: Processes reading logs in parallel; None uses one per CPU (at most one per
            log), 1 reads in this process.

    Returns:
        One row per sample; the columns of `BASE_COLUMNS`, then other scorers' value keys.

    Raises:
        LogReadError: A path is missing, a log cannot be read, or a sample lacks the
            metadata the aflab task sets.
    """
    rows = _rows(log_files(logs), workers)
    frame = pd.DataFrame(rows)
    extra = sorted(c for c in frame.columns if c not in BASE_COLUMNS)
    frame = frame.reindex(columns=[*BASE_COLUMNS, *extra])
    numeric = [*value_columns(), *extra]
    for column in numeric:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    if len(frame):
        frame["epoch"] = frame["epoch"].astype(int)
        frame["judge_failures"] = frame["judge_failures"].fillna(0).astype(int)
    return count_each_sample_once(frame)


def export_table(df: pd.DataFrame, directory: str | Path) -> dict[str, Path]:
    """Write the table as `samples.csv` and `samples.parquet`.

    Structured cells (votes, details, interview readings) are written as JSON text. Text
    cells of the CSV that a spreadsheet would run as formulas get a leading apostrophe
    (`aflab.analysis._spreadsheet.write_csv`); the parquet file keeps the text as it is.

    Args:
        df: A table from `samples_table`.
        directory: Output directory (created if missing).

    Returns:
        {"csv": path, "parquet": path}.
    """
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"csv": out / "samples.csv", "parquet": out / "samples.parquet"}
    flat = _encode_structured(df)
    write_csv(flat, paths["csv"])
    flat.to_parquet(paths["parquet"], index=False)
    return paths


def _encode_structured(df: pd.DataFrame) -> pd.DataFrame:
    """The table with list and dict cells (votes, details, readings) written as JSON text."""
    flat = df.copy()
    for column in flat.select_dtypes(include="object").columns:
        if flat[column].map(lambda v: isinstance(v, list | dict)).any():
            flat[column] = flat[column].map(
                lambda v: json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v)
    return flat
