"""The dated price table shipped with aflab, and users' own tables that override it."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from inspect_ai.model import ModelCost, ModelUsage, compute_model_cost
from pydantic import BaseModel, ConfigDict, Field, ValidationError


class PriceError(ValueError):
    """A price table that cannot be read; the message names the file and the entry."""


class ModelPrice(BaseModel):
    """Prices of one model in dollars per million tokens (Inspect's `ModelCost` plus batch)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    input: float = Field(ge=0)
    output: float = Field(ge=0)
    input_cache_write: float = Field(ge=0)
    input_cache_read: float = Field(ge=0)
    batch_discount: float = Field(default=0.0, ge=0, lt=1)
    min_cached_prompt: int | None = Field(default=None, ge=0)

    @property
    def caches(self) -> bool:
        """Whether the provider caches prompt prefixes (a minimum prompt length is given)."""
        return self.min_cached_prompt is not None

    def dollars(self, usage: ModelUsage, *, batch: bool = False) -> float:
        """Dollars of `usage` at these prices (Inspect's cost formula), batch discount applied.

        Args:
            usage: Tokens; `input_tokens` are the uncached ones, as Inspect reports them.
            batch: Whether the calls went through the provider's batch API.
        """
        cost = ModelCost(
            input=self.input,
            output=self.output,
            input_cache_write=self.input_cache_write,
            input_cache_read=self.input_cache_read,
        )
        dollars = compute_model_cost(cost, usage)
        return dollars * (1 - self.batch_discount) if batch else dollars


@dataclass(frozen=True)
class PriceTable:
    """Model prices by Inspect model name; `provider/*` entries cover a whole provider."""

    as_of: str
    models: dict[str, ModelPrice]
    sources: tuple[str, ...] = ()

    def price(self, model: str) -> ModelPrice | None:
        """The price of `model`: its own entry, else the longest matching `prefix*` entry."""
        if model in self.models:
            return self.models[model]
        matches = [
            key for key in self.models if key.endswith("*") and model.startswith(key[:-1])
        ]
        return self.models[max(matches, key=len)] if matches else None

    def merged(self, other: PriceTable) -> PriceTable:
        """This table with `other`'s entries replacing or adding to its own."""
        return PriceTable(
            as_of=other.as_of or self.as_of,
            models={**self.models, **other.models},
            sources=(*self.sources, *other.sources),
        )


def _parse(raw: Any, where: str) -> PriceTable:
    if not isinstance(raw, dict) or not isinstance(raw.get("models"), dict):
        raise PriceError(f"{where}: expected a mapping with a `models:` mapping")
    models: dict[str, ModelPrice] = {}
    for name, entry in raw["models"].items():
        try:
            models[str(name)] = ModelPrice.model_validate(entry)
        except ValidationError as err:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'entry'}: {e['msg']}"
                for e in err.errors()
            )
            raise PriceError(f"{where}: model {name!r}: {problems}") from None
    return PriceTable(as_of=str(raw.get("as_of") or ""), models=models, sources=(where,))


def load_prices(override: str | Path | None = None) -> PriceTable:
    """The shipped price table, with the entries of `override` (a YAML file) on top.

    Args:
        override: The user's own table (same layout as the shipped `prices.yaml`).

    Returns:
        The table.

    Raises:
        PriceError: The override file is missing, not YAML, or has a bad entry.
    """
    shipped = resources.files("aflab.cost") / "prices.yaml"
    table = _parse(yaml.safe_load(shipped.read_text(encoding="utf-8")), "aflab prices.yaml")
    if override is None:
        return table
    path = Path(override)
    if not path.is_file():
        raise PriceError(f"price table not found: {path}")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        raise PriceError(f"{path}: not valid YAML: {err}") from None
    return table.merged(_parse(raw, str(path)))
