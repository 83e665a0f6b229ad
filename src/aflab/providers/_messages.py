"""Inspect chat messages -> `{role, content}` dicts, the form both embedded engines take."""

from __future__ import annotations

from inspect_ai.model import ChatMessage, ChatMessageAssistant, ChatMessageTool

from aflab.providers._errors import UnsupportedInputError


def to_llama_messages(messages: list[ChatMessage]) -> list[dict[str, str]]:
    """Convert Inspect chat messages to llama-cpp-python's `{role, content}` dicts.

    Args:
        messages: System, user and assistant messages with text content.

    Returns:
        One dict per message.

    Raises:
        UnsupportedInputError: For tool messages, tool calls or non-text content.
    """
    converted: list[dict[str, str]] = []
    for index, message in enumerate(messages):
        if isinstance(message, ChatMessageTool):
            raise UnsupportedInputError(
                f"message {index} is a tool result; aflab-llamacpp does not support tools"
            )
        if isinstance(message, ChatMessageAssistant) and message.tool_calls:
            raise UnsupportedInputError(
                f"message {index} holds tool calls; aflab-llamacpp does not support tools"
            )
        if not isinstance(message.content, str):
            kinds = sorted({part.type for part in message.content if part.type != "text"})
            if kinds:
                raise UnsupportedInputError(
                    f"message {index} ({message.role}) has content of type "
                    f"{', '.join(kinds)}; aflab-llamacpp accepts text only"
                )
        converted.append({"role": message.role, "content": message.text})
    return converted
