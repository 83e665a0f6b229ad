"""Parsing of replies in the scratchpad format."""

from aflab.parsing._conversation import (
    NEXT_TURN,
    main_exchange,
    parse_messages,
    parse_state,
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
    "NEXT_TURN",
    "OUTPUT_TAG",
    "REJECT_TAG",
    "SCRATCHPAD_TAG",
    "ParsedResponse",
    "main_exchange",
    "parse_messages",
    "parse_response",
    "parse_state",
]
