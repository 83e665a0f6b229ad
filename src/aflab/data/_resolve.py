"""One entry point for "a dataset name or a file path"."""

from pathlib import Path

from aflab.data._errors import DataError
from aflab.data._load import LoadedQueries, load_queries
from aflab.data._named import load_named

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
        spec: The path of a CSV, JSON or JSON-lines file (anything that exists, has a suffix
            or holds a "/"), else a key of `NAMED_DATASETS` (e.g. `advbench`).
        data_dir: Where named datasets are looked for first (see `load_named`).
        column: Text column, for files only.
        limit: Keep at most this many queries.

    Returns:
        The queries.

    Raises:
        DataError: The file is missing or unreadable, the name is unknown, `column` was
            given with a named dataset, or loading fails.
    """
    path = Path(spec).expanduser()
    # Anything that looks like a file is read as one (a missing file is an error, not a
    # fallback to the named sets); everything else is a named query set.
    if path.exists() or path.suffix or "/" in spec:
        return load_queries(path, column=column, limit=limit)
    if column is not None:
        raise DataError(
            f"column={column!r} applies to query files only; dataset {spec!r} "
            "already knows its text column"
        )
    return load_named(spec, data_dir=data_dir, limit=limit)
