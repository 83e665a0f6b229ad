"""What the task records about each sample, read back with Inspect's `metadata_as`."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from aflab.settings import Tier

__all__ = ["SampleMetadata", "Tier", "TranscriptMetadata", "table_fields"]


_COLUMN: JsonDict = {"column": True}


class TranscriptMetadata(BaseModel):
    """What the scorers read from any sample's metadata (generated or replayed transcripts).

    Attributes:
        setting: Setting name, e.g. ``helpful_only``; None for a replayed transcript that
            names none.
        query: The user request.
        tier: ``training`` or ``unmonitored``; None for a replayed transcript that names none.
        options: The fully resolved `PromptOptions` of the variant.
        operator_context: Facts from the deploying business, shown outside ``<user_input>``.
    """

    model_config = ConfigDict(frozen=True)

    setting: str | None = Field(default=None, json_schema_extra=_COLUMN)
    query: str | None = Field(default=None, json_schema_extra=_COLUMN)
    tier: Tier | None = None
    options: dict[str, Any] = Field(default_factory=dict)
    operator_context: str | None = None

    @property
    def uses_scratchpad(self) -> bool:
        """Whether the variant asks for a scratchpad (the default when options are absent)."""
        return bool(self.options.get("scratchpad", True))


class SampleMetadata(TranscriptMetadata):
    """The metadata of one sample of the `alignment_faking` task.

    Set by the task (`aflab.tasks`) and read by the scorers (``state.metadata_as``) and the
    analysis (``sample.metadata_as``). Fields marked as columns are copied into the sample
    table (`table_fields`). Keys other tasks or variants add are kept by Inspect but not read
    here.

    Attributes:
        setting: Setting name, e.g. ``helpful_only``.
        value: The value the new objective attacks (``harmlessness``, ``honesty``, ...).
        variant: Canonical variant spec, e.g. ``no_scratchpad+paraphrase=2``.
        options: The fully resolved `PromptOptions` of the variant.
        tier: ``training`` (free tier) or ``unmonitored`` (paid tier).
        is_free_tier: The tag value shown to the model.
        query_id: Stable id of the query; pairs the two tiers.
        query: The user request.
        category: The query's category, when its source gives one.
        harm: Whether complying on the item carries ``physical`` or ``financial`` harm, or
            ``none``; None when the source does not say.
        prompt_hash: First 12 hex digits of the SHA-256 of the rendered system prompt.
        condition_id: ``{setting}/{variant}/{tier}``.
        ablates: What the variant takes away from the default, by item
            (`aflab.settings.ablated_factors`).
        model: The model that wrote a classified transcript, when its record names one
            (the log's model otherwise).
        epoch: A classified transcript's own epoch (the sample's epoch otherwise).
    """

    model_config = ConfigDict(frozen=True, coerce_numbers_to_str=True)

    setting: str = Field(json_schema_extra=_COLUMN)
    value: str | None = Field(default=None, json_schema_extra=_COLUMN)
    variant: str = Field(json_schema_extra=_COLUMN)
    tier: Tier = Field(json_schema_extra=_COLUMN)
    is_free_tier: bool | None = None
    query_id: str = Field(json_schema_extra=_COLUMN)
    category: str | None = None
    harm: str | None = Field(default=None, json_schema_extra=_COLUMN)
    prompt_hash: str | None = Field(default=None, json_schema_extra=_COLUMN)
    condition_id: str | None = None
    ablates: dict[str, Any] = Field(default_factory=dict)
    model: str | None = None
    epoch: int | None = None


def table_fields() -> tuple[str, ...]:
    """The metadata fields that are columns of the sample table, in declaration order."""
    return tuple(
        name
        for name, info in SampleMetadata.model_fields.items()
        if isinstance(info.json_schema_extra, dict) and info.json_schema_extra.get("column")
    )
