"""Reading raw records from CSV, JSON and JSON-lines files."""

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aflab.data._errors import DataError
from aflab.settings._text import read_text

__all__ = ["SUFFIXES", "Record", "read_records"]

SUFFIXES = (".csv", ".json", ".jsonl", ".ndjson")
# Keys under which a JSON object may hold its list of rows.
_LIST_KEYS = ("samples", "queries", "data")


@dataclass(frozen=True)
class Record:
    """One row of a query file before it becomes a query.

    Attributes:
        index: 0-based position among the file's rows (blank rows included).
        where: Human-readable location, e.g. `line 12` or `row 3`.
        value: A plain string, or a mapping from column name to value.
    """

    index: int
    where: str
    value: str | dict[str, Any]


def read_records(path: Path) -> list[Record]:
    """Read every row of a CSV, JSON or JSON-lines file.

    The format follows the suffix: `.csv` (header row required), `.json` (a list of
    strings or objects, or an object holding such a list under `samples`, `queries` or
    `data`), `.jsonl` / `.ndjson` (one JSON string or object per line; empty lines are
    skipped without taking an index).

    Args:
        path: The file to read.

    Returns:
        The rows in file order.

    Raises:
        DataError: The file is missing, has an unknown suffix, or a row is malformed; the
            message names the file and the row or line.
    """
    if not path.is_file():
        raise DataError(f"query file not found: {path}")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix == ".json":
        return _read_json(path)
    if suffix in (".jsonl", ".ndjson"):
        return _read_jsonl(path)
    raise DataError(
        f"{path}: unknown query file format {suffix or '(no suffix)'!r}; "
        f"expected one of {', '.join(SUFFIXES)}"
    )


def _read_text(path: Path) -> str:
    return read_text(path, "query file", DataError)


def _read_csv(path: Path) -> list[Record]:
    records: list[Record] = []
    with io.StringIO(_read_text(path), newline="") as handle:
        reader = csv.DictReader(handle, strict=True)
        try:
            header = reader.fieldnames
            if not header:
                raise DataError(f"{path}: empty CSV file (no header row)")
            for row in reader:
                where = f"row {len(records) + 1} (line {reader.line_num})"
                if None in row:
                    raise DataError(
                        f"{path}: {where} has more fields than the header's {len(header)}"
                    )
                records.append(Record(len(records), where, dict(row)))
        except csv.Error as error:
            raise DataError(f"{path}: line {reader.line_num}: malformed CSV ({error})") from error
    return records


def _read_json(path: Path) -> list[Record]:
    try:
        payload = json.loads(_read_text(path))
    except json.JSONDecodeError as error:
        raise DataError(
            f"{path}: not valid JSON at line {error.lineno}, column {error.colno} ({error.msg})"
        ) from error
    rows = payload
    if isinstance(payload, dict):
        key = next((k for k in _LIST_KEYS if isinstance(payload.get(k), list)), None)
        if key is None:
            raise DataError(
                f"{path}: a JSON object must hold its rows as a list under one of "
                f"{', '.join(map(repr, _LIST_KEYS))}; found keys {sorted(payload)}"
            )
        rows = payload[key]
    if not isinstance(rows, list):
        raise DataError(f"{path}: expected a JSON list or object, got {type(rows).__name__}")
    return [_record(path, i, f"item {i}", row) for i, row in enumerate(rows)]


def _read_jsonl(path: Path) -> list[Record]:
    records: list[Record] = []
    # Lines end at "\n" only: a JSON string may hold U+2028 or a form feed, which
    # `str.splitlines` would split on, shifting every later line number.
    for number, line in enumerate(_read_text(path).split("\n"), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise DataError(f"{path}: line {number}: not valid JSON ({error.msg})") from error
        records.append(_record(path, len(records), f"line {number}", row))
    return records


def _record(path: Path, index: int, where: str, row: object) -> Record:
    if isinstance(row, str | dict):
        return Record(index, where, row)
    raise DataError(f"{path}: {where}: expected a string or an object, got {type(row).__name__}")
