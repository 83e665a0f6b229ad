"""The contract's tables for docs/architecture.md, generated from the models."""

from __future__ import annotations

import inspect
import re
from typing import Any

from inspect_ai.util import StoreModel
from pydantic import BaseModel

from aflab.contract._metadata import SampleMetadata, table_fields
from aflab.contract._result import ScoreResult
from aflab.contract._scores import RESULTS
from aflab.contract._store import SolverRecord
from aflab.contract._table import AGGREGATE_COLUMNS, LOG_COLUMNS, TEXT_COLUMNS

__all__ = ["contract_markdown"]

_ATTRIBUTE = re.compile(r"^    (\w+): (.*)$")


def _described(model: type[BaseModel]) -> dict[str, str]:
    """Attribute descriptions from the Google docstrings of the model and its bases."""
    found: dict[str, str] = {}
    for cls in reversed(model.__mro__):
        current: str | None = None
        for line in (inspect.getdoc(cls) or "").splitlines():
            match = _ATTRIBUTE.match(line)
            if match:
                current = match.group(1)
                found[current] = match.group(2)
            elif current and line.startswith("        "):
                found[current] += " " + line.strip()
            else:
                current = None
    return found


def _type(annotation: Any) -> str:
    text = annotation.__name__ if isinstance(annotation, type) else str(annotation)
    text = re.sub(r"[\w.]+\.(\w+)", r"\1", text)
    return text.replace("|", "or")


def _own_fields(model: type[BaseModel]) -> list[str]:
    """The model's fields, without those of Inspect's `StoreModel` base."""
    base = set(StoreModel.model_fields) if issubclass(model, StoreModel) else set()
    return [name for name in model.model_fields if name not in base]


def _fields(model: type[BaseModel], fields: list[str]) -> str:
    described = _described(model)
    rows = ["| field | type | meaning |", "|---|---|---|"]
    for name in fields:
        info = model.model_fields[name]
        rows.append(f"| `{name}` | {_type(info.annotation)} | {described.get(name, '')} |")
    return "\n".join(rows)


def _result_row(result: type[ScoreResult]) -> str:
    keys = ", ".join(f"`{k}`" for k in result.value_keys())
    others = [n for n in result.model_fields if n not in result.value_keys()]
    metadata = ", ".join(f"`{n}`" for n in others)
    columns = ", ".join(f"`{c}`" for c in result.table_columns() if c not in result.value_keys())
    return f"| `{result.SCORER}` | `{result.__name__}` | {keys} | {metadata} | {columns} |"


def contract_markdown() -> str:
    """The contract's tables: sample metadata, solver record, scores, sample-table columns."""
    parts = [
        "### Sample metadata (`SampleMetadata`, set by the task, read with `metadata_as`)",
        _fields(SampleMetadata, list(SampleMetadata.model_fields)),
        "### Solver record (`SolverRecord`, in the sample store, read with `store_as`)",
        _fields(SolverRecord, _own_fields(SolverRecord)),
        "### Scores (one result model per scorer; `to_score` / `from_score`)",
        "| scorer | result model | value keys | metadata | other table columns |\n"
        "|---|---|---|---|---|\n" + "\n".join(_result_row(r) for r in RESULTS),
        "### Sample table columns (`sample_columns`, in order)",
        "\n".join([
            "- where the sample comes from: " + ", ".join(f"`{c}`" for c in LOG_COLUMNS),
            "- metadata: " + ", ".join(f"`{c}`" for c in table_fields()),
            "- texts of the main exchange: " + ", ".join(f"`{c}`" for c in TEXT_COLUMNS),
            *(f"- `{r.SCORER}`: " + ", ".join(f"`{c}`" for c in r.table_columns())
              for r in RESULTS),
            "- across scorers: " + ", ".join(f"`{c}`" for c in AGGREGATE_COLUMNS),
        ]),
    ]  # fmt: skip
    return "\n\n".join(parts) + "\n"
