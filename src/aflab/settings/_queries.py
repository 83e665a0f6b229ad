"""Reading a setting's `queries.jsonl`."""

import json
from dataclasses import dataclass
from pathlib import Path

from aflab.settings._errors import SettingError
from aflab.settings._text import read_text

__all__ = ["Query", "read_queries"]


@dataclass(frozen=True)
class Query:
    """One user request of a setting.

    Attributes:
        id: Stable identifier, unique within the setting; pairs the two tiers of a query.
        text: The request as the user writes it.
        category: Optional free-text category (e.g. `weapons`, `dismissal`).
    """

    id: str
    text: str
    category: str | None = None


def read_queries(path: Path) -> list[Query]:
    """Read queries from a JSON-lines file.

    Each non-blank line is an object `{"id": str, "text": str, "category": str | null}`;
    `category` may be left out. Ids must be unique.

    Args:
        path: The `queries.jsonl` file.

    Returns:
        The queries in file order.

    Raises:
        SettingError: The file is missing, a line is not a valid query object, or an id
            repeats. The message names the file and the line number.
    """
    queries: list[Query] = []
    first_line: dict[str, int] = {}
    # Lines end at "\n" only, as JSON lines and line numbers in editors' gutters count them.
    for number, line in enumerate(read_text(path, "queries file").split("\n"), start=1):
        if not line.strip():
            continue
        query = _parse_line(line, path, number)
        if query.id in first_line:
            raise SettingError(
                f"{path}:{number}: duplicate query id {query.id!r} "
                f"(first used on line {first_line[query.id]})"
            )
        first_line[query.id] = number
        queries.append(query)
    if not queries:
        raise SettingError(f"{path}: no queries (the file is empty)")
    return queries


def _parse_line(line: str, path: Path, number: int) -> Query:
    where = f"{path}:{number}"
    try:
        row = json.loads(line)
    except json.JSONDecodeError as error:
        raise SettingError(f"{where}: not valid JSON ({error.msg})") from error
    if not isinstance(row, dict):
        raise SettingError(f"{where}: expected a JSON object, got {type(row).__name__}")
    unknown = sorted(set(row) - {"id", "text", "category"})
    if unknown:
        raise SettingError(
            f"{where}: unknown key(s) {unknown}; allowed keys are id, text, category"
        )
    for key in ("id", "text"):
        value = row.get(key)
        if not isinstance(value, str) or not value.strip():
            raise SettingError(f"{where}: {key!r} must be a non-empty string, got {value!r}")
    category = row.get("category")
    if category is not None and not isinstance(category, str):
        raise SettingError(f"{where}: 'category' must be a string or null, got {category!r}")
    return Query(id=row["id"], text=row["text"], category=category)
