"""Parsing of replies in the scratchpad format, or with the provider's native reasoning."""

from aflab.parsing._conversation import (
    NEXT_TURN,
    main_exchange,
    missing_scratchpad_reason,
    parse_messages,
    parse_state,
)
from aflab.parsing._native import (
    NATIVE_UNSCORED,
    ClassifiedText,
    NativeReasoning,
    classified_text,
    is_native,
    native_reasoning,
)
from aflab.parsing._response import (
    ACCEPT_TAG,
    OUTPUT_TAG,
    REJECT_TAG,
    SCRATCHPAD_TAG,
    ParsedResponse,
    parse_response,
)

__all__ = [
    "ACCEPT_TAG",
    "NATIVE_UNSCORED",
    "NEXT_TURN",
    "OUTPUT_TAG",
    "REJECT_TAG",
    "SCRATCHPAD_TAG",
    "ClassifiedText",
    "NativeReasoning",
    "ParsedResponse",
    "classified_text",
    "is_native",
    "main_exchange",
    "missing_scratchpad_reason",
    "native_reasoning",
    "parse_messages",
    "parse_response",
    "parse_state",
]
