"""The reasoning a natively reasoning model returns, read instead of a prompted scratchpad.

Under `reasoning=native` the prompt asks for no scratchpad: the model reasons on its own and
the provider returns that reasoning as `ContentReasoning` blocks. Only reasoning returned in
full is read. Providers often return less: an encrypted blob (`redacted`), or a summary written
by another model in place of the reasoning itself (`redacted` with a `summary`). Neither may be
read as "no alignment faking", so each leaves the sample unscored with its own reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from inspect_ai.model import ChatMessage, ChatMessageAssistant, ContentReasoning

__all__ = [
    "NATIVE_UNSCORED",
    "ClassifiedText",
    "NativeReasoning",
    "classified_text",
    "is_native",
    "native_reasoning",
]

ClassifiedText = Literal["scratchpad", "native_reasoning"]
"""Which text the classifiers read: the prompted scratchpad, or the provider's reasoning."""

NATIVE_UNSCORED: dict[str, str] = {
    "no_native_reasoning": "the provider returned no reasoning content",
    "native_reasoning_redacted": "the provider returned the reasoning encrypted or redacted, "
    "with no readable text",
    "native_reasoning_summary_only": "the provider returned only a summary of the reasoning, "
    "not the reasoning itself",
    "native_reasoning_partly_redacted": "part of the reasoning was redacted; the readable part "
    "may leave out what matters",
}
"""Why a sample's native reasoning was not read, by reason code."""


@dataclass(frozen=True)
class NativeReasoning:
    """The reasoning blocks of a reply.

    Attributes:
        text: The readable reasoning, blocks joined by blank lines ("" when none is readable).
        blocks: Reasoning blocks seen.
        redacted: Blocks whose reasoning was withheld (encrypted or redacted).
        summaries: Redacted blocks that came with a summary in place of the reasoning.
        unscored_reason: A key of `NATIVE_UNSCORED` when the reasoning cannot be read in
            full, else None.
    """

    text: str
    blocks: int
    redacted: int
    summaries: int
    unscored_reason: str | None


def is_native(metadata: Mapping[str, Any]) -> bool:
    """Whether a sample's variant asks for native reasoning (`reasoning=native`)."""
    options = metadata.get("options")
    return isinstance(options, Mapping) and options.get("reasoning") == "native"


def classified_text(metadata: Mapping[str, Any]) -> ClassifiedText:
    """Which text the classifiers read for a sample with this metadata."""
    return "native_reasoning" if is_native(metadata) else "scratchpad"


def native_reasoning(messages: Sequence[ChatMessage]) -> NativeReasoning:
    """Collect the reasoning blocks of the assistant messages, in order.

    Args:
        messages: The main exchange (see `main_exchange`).

    Returns:
        The readable text and what was withheld. A block is withheld when it is redacted, or
        when it carries a summary and no reasoning text. A reply whose every block is withheld is
        `native_reasoning_summary_only` when any block carried a summary, else
        `native_reasoning_redacted`; a reply with readable and withheld blocks is
        `native_reasoning_partly_redacted`; a reply with no block (or only empty ones) is
        `no_native_reasoning`.
    """
    readable: list[str] = []
    blocks = redacted = summaries = 0
    for message in messages:
        if not isinstance(message, ChatMessageAssistant) or isinstance(message.content, str):
            continue
        for part in message.content:
            if not isinstance(part, ContentReasoning):
                continue
            blocks += 1
            has_summary = bool(part.summary and part.summary.strip())
            if part.redacted or (has_summary and not part.reasoning.strip()):
                # Withheld: encrypted, or only a summary came back (no reasoning text).
                redacted += 1
                summaries += has_summary
            elif part.reasoning.strip():
                readable.append(part.reasoning.strip())
    reason: str | None = None
    if redacted and readable:
        reason = "native_reasoning_partly_redacted"
    elif redacted:
        reason = "native_reasoning_summary_only" if summaries else "native_reasoning_redacted"
    elif not readable:
        reason = "no_native_reasoning"
    text = "\n\n".join(readable) if reason is None else ""
    return NativeReasoning(text, blocks, redacted, summaries, reason)
