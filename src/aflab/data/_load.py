"""Turning a query file into `Query` objects."""

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from aflab.data._errors import DataError
from aflab.data._records import Record, read_records
from aflab.settings import Query

__all__ = ["TEXT_COLUMNS", "LoadedQueries", "build_queries", "load_queries"]

logger = logging.getLogger(__name__)

# Tried in order when no text column is named; matched exactly, then ignoring case.
TEXT_COLUMNS = (
    "text", "query", "prompt", "goal", "forbidden_prompt", "Behavior", "user_input",
)  # fmt: skip
_ID_COLUMN = "id"
_CATEGORY_COLUMN = "category"


class LoadedQueries(list[Query]):
    """The queries read from one source, with a count of the blank rows left out.

    Attributes:
        source: The file (or dataset name) the queries came from.
        skipped_blank: How many rows had an empty text and were skipped.
    """

    def __init__(self, queries: Sequence[Query], source: str, skipped_blank: int) -> None:
        super().__init__(queries)
        self.source = source
        self.skipped_blank = skipped_blank


def load_queries(
    path: str | Path,
    *,
    column: str | None = None,
    id_column: str | None = None,
    category_column: str | None = None,
    limit: int | None = None,
) -> LoadedQueries:
    """Load queries from a CSV, JSON or JSON-lines file.

    The format follows the suffix: `.csv` with a header row; `.json` holding a list of
    strings or objects, or an object with such a list under `samples`, `queries` or
    `data`; `.jsonl` / `.ndjson` with one string or object per line.
    Rows whose text is empty are skipped and counted (`skipped_blank`, plus a log
    warning). Ids must be unique.

    Args:
        path: The file.
        column: Column (or object key) holding the query text. Defaults to the first of
            `TEXT_COLUMNS` present. Not used for rows that are plain strings.
        id_column: Column holding the query id. Defaults to `id` when present, else ids are
            `f"{stem}_{index:04d}"` with `index` the 0-based row position in the file.
        category_column: Column holding a category. Defaults to `category` when present.
        limit: Keep at most this many (non-blank) queries, in file order.

    Returns:
        The queries in file order.

    Raises:
        DataError: The file is missing, malformed, not UTF-8 (or UTF-16/32 with a
            byte-order mark) or holds no queries, a named column does not exist (the
            message lists the available ones), a row lacks its text or id, or ids repeat.
    """
    path = Path(path)
    records = read_records(path)
    return build_queries(
        records,
        source=str(path),
        id_prefix=path.stem,
        column=column,
        id_column=id_column,
        category_column=category_column,
        limit=limit,
    )


def build_queries(
    records: Sequence[Record],
    *,
    source: str,
    id_prefix: str,
    column: str | None = None,
    id_column: str | None = None,
    category_column: str | None = None,
    limit: int | None = None,
    transform: Callable[[str], str] | None = None,
) -> LoadedQueries:
    """Build queries from raw records (the shared core of the file and dataset loaders).

    Args:
        records: Rows from `read_records`.
        source: Name of the file or dataset, used in messages.
        id_prefix: Prefix of generated ids, `f"{id_prefix}_{index:04d}"`.
        column: Text column; auto-detected when None.
        id_column: Id column; `id` when present, else generated ids.
        category_column: Category column; `category` when present.
        limit: Keep at most this many non-blank queries.
        transform: Applied to each text before the blank check (e.g. HTML stripping).

    Returns:
        The queries in record order.

    Raises:
        DataError: As for `load_queries`.
    """
    if limit is not None and limit < 0:
        raise DataError(f"{source}: limit must be zero or positive, got {limit}")
    columns = _columns(records)
    has_objects = any(isinstance(r.value, dict) for r in records)
    text_col = id_col = category_col = None
    if has_objects:
        text_col = _pick(columns, column, TEXT_COLUMNS, source, "text")
        id_col = _pick(columns, id_column, (_ID_COLUMN,), source, "id", required=False)
        category_col = _pick(
            columns, category_column, (_CATEGORY_COLUMN,), source, "category", required=False
        )
    elif column is not None or id_column is not None or category_column is not None:
        raise DataError(f"{source}: rows are plain strings, so there are no columns to pick")

    queries: list[Query] = []
    seen: dict[str, str] = {}
    skipped = 0
    for record in records:
        if limit is not None and len(queries) >= limit:
            break
        text = _text(record, text_col, source)
        if transform is not None:
            text = transform(text)
        text = text.strip()
        if not text:
            skipped += 1
            continue
        query_id = _id(record, id_col, id_prefix, source)
        if query_id in seen:
            raise DataError(
                f"{source}: {record.where}: duplicate id {query_id!r} (first at {seen[query_id]})"
            )
        seen[query_id] = record.where
        category = _optional(record, category_col)
        queries.append(Query(id=query_id, text=text, category=category))
    if not queries and limit != 0:
        what = f"every row ({skipped}) has an empty text" if skipped else "it holds no rows"
        raise DataError(f"{source}: no queries: {what}")
    if skipped:
        logger.warning("%s: skipped %d blank row(s)", source, skipped)
    return LoadedQueries(queries, source=source, skipped_blank=skipped)


def _columns(records: Sequence[Record]) -> list[str]:
    columns: dict[str, None] = {}
    for record in records:
        if isinstance(record.value, dict):
            columns.update(dict.fromkeys(record.value))
    return list(columns)


def _pick(
    columns: list[str],
    wanted: str | None,
    defaults: Sequence[str],
    source: str,
    role: str,
    *,
    required: bool = True,
) -> str | None:
    if wanted is not None:
        if wanted not in columns:
            raise DataError(
                f"{source}: no {role} column {wanted!r}; available columns: {', '.join(columns)}"
            )
        return wanted
    for candidate in defaults:
        if candidate in columns:
            return candidate
    lowered = {c.lower(): c for c in columns}
    for candidate in defaults:
        if candidate.lower() in lowered:
            return lowered[candidate.lower()]
    if not required:
        return None
    raise DataError(
        f"{source}: cannot tell which column holds the {role} (looked for "
        f"{', '.join(defaults)}); available columns: {', '.join(columns)}; "
        f"name one with column=..."
    )


def _text(record: Record, column: str | None, source: str) -> str:
    if isinstance(record.value, str):
        return record.value
    if column is None or column not in record.value:
        raise DataError(f"{source}: {record.where} has no {column!r} field")
    value: Any = record.value[column]
    if value is None:
        return ""
    if not isinstance(value, str):
        raise DataError(
            f"{source}: {record.where}: {column!r} must be a string, got {type(value).__name__}"
        )
    return value


def _id(record: Record, column: str | None, prefix: str, source: str) -> str:
    if column is None or isinstance(record.value, str):
        return f"{prefix}_{record.index:04d}"
    value = record.value.get(column)
    if value is None or isinstance(value, bool) or not str(value).strip():
        raise DataError(f"{source}: {record.where} has no value in id column {column!r}")
    return str(value).strip()


def _optional(record: Record, column: str | None) -> str | None:
    if column is None or isinstance(record.value, str):
        return None
    value = record.value.get(column)
    if value is None or not str(value).strip():
        return None
    return str(value).strip()
