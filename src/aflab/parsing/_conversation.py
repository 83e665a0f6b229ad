"""Parse the assistant side of a conversation that may span continuation turns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from inspect_ai.model import ChatMessage, ChatMessageAssistant

from aflab.contract import SolverRecord
from aflab.parsing._native import is_native, native_reasoning
from aflab.parsing._response import ParsedResponse, parse_response

if TYPE_CHECKING:
    from inspect_ai.solver import TaskState

# The user turn that asks a model to go on after a scratchpad block, as in the original setup.
NEXT_TURN = "<NEXT/>"


def parse_messages(messages: Sequence[ChatMessage]) -> ParsedResponse:
    """Parse every assistant message of the main exchange as one reply.

    Continuation turns (``<NEXT/>``) split one reply across several assistant messages; they
    are joined in order before parsing.

    Args:
        messages: The conversation (system, user and assistant messages).

    Returns:
        The parsed reply.
    """
    parts = [m.text for m in messages if isinstance(m, ChatMessageAssistant)]
    return parse_response("\n".join(parts))


def main_exchange(
    messages: Sequence[ChatMessage], interview_start: int | None
) -> Sequence[ChatMessage]:
    """The messages before the follow-up interview (all of them when there was none).

    Args:
        messages: The conversation.
        interview_start: Index of the first interview message (`SolverRecord`), or None.
    """
    return messages if interview_start is None else messages[:interview_start]


def parse_state(state: TaskState) -> ParsedResponse:
    """Parse the main exchange of a task state, leaving out any follow-up interview.

    Under `reasoning=native` the scratchpad is the provider's reasoning content, when it was
    returned in full (see `native_reasoning`); otherwise the reply has no scratchpad and
    `missing_scratchpad_reason` says why.
    """
    messages = main_exchange(state.messages, state.store_as(SolverRecord).interview_start)
    parsed = parse_messages(messages)
    if not is_native(state.metadata):
        return parsed
    native = native_reasoning(messages)
    scratchpads = (native.text,) if native.unscored_reason is None else ()
    return replace(parsed, scratchpads=scratchpads, unclosed_scratchpad=False)


def missing_scratchpad_reason(state: TaskState) -> str:
    """Why a state has no scratchpad to classify: `no_scratchpad`, or the native reason."""
    if not is_native(state.metadata):
        return "no_scratchpad"
    messages = main_exchange(state.messages, state.store_as(SolverRecord).interview_start)
    return native_reasoning(messages).unscored_reason or "no_native_reasoning"
