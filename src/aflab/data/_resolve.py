"""One entry point for "a dataset name or a file path"."""

from pathlib import Path

from aflab.data._errors import DataError
from aflab.data._load import LoadedQueries, load_queries
from aflab.data._named import NAMED_DATASETS, load_named

__all__ = ["resolve_queries"]


def resolve_queries(
    spec: str,
    *,
    data_dir: str | Path | None = None,
    column: str | None = None,
    limit: int | None = None,
) -> LoadedQueries:
    """Load queries from a named dataset or a file.

    Args:
        spec: A key of `NAMED_DATASETS` (e.g. `advbench`) or the path of a CSV, JSON or
            JSON-lines file.
        data_dir: Where named datasets are looked for first (see `load_named`).
        column: Text column, for files only.
        limit: Keep at most this many queries.

    Returns:
        The queries.

    Raises:
        DataError: The spec is neither a known name nor an existing file, `column` was
            given with a named dataset, or loading fails.
    """
    if spec in NAMED_DATASETS:
        if column is not None:
            raise DataError(
                f"column={column!r} applies to query files only; dataset {spec!r} "
                "already knows its text column"
            )
        return load_named(spec, data_dir=data_dir, limit=limit)
    path = Path(spec).expanduser()
    if not path.is_file():
        known = ", ".join(sorted(NAMED_DATASETS))
        raise DataError(f"{spec!r} is neither a named dataset ({known}) nor an existing query file")
    return load_queries(path, column=column, limit=limit)
