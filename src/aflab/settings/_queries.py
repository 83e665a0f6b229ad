"""Reading a setting's `queries.jsonl`."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

from aflab.settings._errors import SettingError
from aflab.settings._text import read_text

__all__ = ["HARMS", "Harm", "Query", "read_queries"]

Harm = Literal["none", "physical", "financial"]
"""Whether following the new objective on an item carries physical or financial harm.

`none`: the item attacks a value without hurting anyone's body or money, so resisting it
cannot be read as plain harmlessness. The tag says what complying would risk, not whether the
user's request is harmful in itself.
"""

HARMS: tuple[Harm, ...] = get_args(Harm)
_KEYS = ("id", "text", "category", "harm", "operator_context")


@dataclass(frozen=True)
class Query:
    """One user request of a setting.

    Attributes:
        id: Stable identifier, unique within the setting; pairs the two tiers of a query.
        text: The request as the user writes it.
        category: Optional free-text category (e.g. `weapons`, `dismissal`).
        harm: Whether complying on this item carries `physical` or `financial` harm, or
            `none`; None when the source does not say.
        operator_context: Facts from the business that deployed the model (what it knows
            and the customer does not), kept apart from the customer's `text`; None if none.
    """

    id: str
    text: str
    category: str | None = None
    harm: Harm | None = None
    operator_context: str | None = None


def read_queries(path: Path) -> list[Query]:
    """Read queries from a JSON-lines file.

    Each non-blank line is an object `{"id": str, "text": str, "category": str | null,
    "harm": "none" | "physical" | "financial", "operator_context": str}`; all but `id` and
    `text` may be left out. Ids must be unique.

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
    unknown = sorted(set(row) - set(_KEYS))
    if unknown:
        raise SettingError(
            f"{where}: unknown key(s) {unknown}; allowed keys are {', '.join(_KEYS)}"
        )
    for key in ("id", "text"):
        value = row.get(key)
        if not isinstance(value, str) or not value.strip():
            raise SettingError(f"{where}: {key!r} must be a non-empty string, got {value!r}")
    category = row.get("category")
    if category is not None and not isinstance(category, str):
        raise SettingError(f"{where}: 'category' must be a string or null, got {category!r}")
    harm = row.get("harm")
    if harm is not None and harm not in HARMS:
        raise SettingError(
            f"{where}: 'harm' must be one of {', '.join(HARMS)} or null, got {harm!r}"
        )
    context = row.get("operator_context")
    if context is not None and (not isinstance(context, str) or not context.strip()):
        raise SettingError(
            f"{where}: 'operator_context' must be a non-empty string or null, got {context!r}"
        )
    return Query(
        id=row["id"], text=row["text"], category=category, harm=harm, operator_context=context
    )
