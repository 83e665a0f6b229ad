"""Build the paired two-tier dataset of one condition."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Literal

from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.model import ChatMessageSystem, ChatMessageUser

from aflab.settings import (
    TIERS,
    PromptOptions,
    Query,
    RenderedPrompts,
    Setting,
    SettingError,
    Tier,
    ablated_factors,
)

TierChoice = Literal["both", "training", "unmonitored"]


def select_tiers(tiers: str) -> tuple[Tier, ...]:
    """Resolve a tier choice to the tiers to run.

    Args:
        tiers: ``both``, ``training`` or ``unmonitored``.

    Returns:
        The tiers, training first.
    """
    if tiers == "both":
        return TIERS
    for tier in TIERS:
        if tiers == tier:
            return (tier,)
    raise SettingError(f"unknown tiers {tiers!r}: choose both, training or unmonitored")


def build_dataset(
    setting: Setting,
    variant: str,
    options: PromptOptions,
    prompts: RenderedPrompts,
    queries: Sequence[Query],
    tiers: Sequence[Tier] = TIERS,
    name: str | None = None,
) -> MemoryDataset:
    """One sample per query and tier, the two tiers of a query adjacent.

    Args:
        setting: The setting (the conflict told to the model).
        variant: Canonical variant spec, recorded in metadata.
        options: The resolved prompt options of the variant.
        prompts: The rendered system prompt and user-turn template.
        queries: The user requests.
        tiers: Which tiers to include.
        name: Dataset name shown in logs.

    Returns:
        The dataset; ids are ``{setting}__{query_id}__{tier}``.
    """
    if not queries:
        raise SettingError(f"setting {setting.name!r}: no queries to run")
    ids = [q.id for q in queries]
    if len(set(ids)) != len(ids):
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        raise SettingError(f"duplicate query ids: {', '.join(dupes[:5])}")
    samples = []
    for query in queries:
        for tier in tiers:
            is_free = tier == "training"
            metadata = {
                "setting": setting.name,
                "value": setting.value,
                "variant": variant,
                "options": asdict(options),
                "tier": tier,
                "is_free_tier": is_free,
                "query_id": query.id,
                "query": query.text,
                "category": query.category,
                "harm": query.harm,
                "operator_context": query.operator_context,
                "ablates": ablated_factors(options),
                "prompt_hash": prompts.prompt_hash,
                "condition_id": f"{setting.name}/{variant}/{tier}",
            }
            samples.append(
                Sample(
                    id=f"{setting.name}__{query.id}__{tier}",
                    input=[
                        ChatMessageSystem(content=prompts.system),
                        ChatMessageUser(
                            content=prompts.user(query.text, is_free, query.operator_context)
                        ),
                    ],
                    metadata=metadata,
                )
            )
    return MemoryDataset(samples, name=name or f"{setting.name}:{variant}")


def optional_path(value: str | None) -> Path | None:
    """A path from a task argument, or None."""
    return Path(value).expanduser() if value else None
