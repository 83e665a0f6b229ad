"""Inspect chat messages -> llama.cpp chat format -> prompt tokens.

The prompt is built by the same chat handler that `Llama.create_chat_completion`
would use (the GGUF's own template or a named `chat_format`), so the tokens, stop
strings and stopping criteria match a direct llama-cpp-python call exactly. The
handler is run against a stand-in model that records what it would have sent to
`create_completion` instead of generating.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from llama_cpp import llama_chat_format

from aflab.providers._errors import UnsupportedInputError
from aflab.providers._messages import to_llama_messages
from aflab.providers._prefix_stats import common_prefix_length

__all__ = [
    "FormattedPrompt",
    "chat_handler",
    "format_prompt",
    "leading_system_messages",
    "system_prefix_length",
    "to_llama_messages",
]

_PROBE_TEXT = "\u241f\u241e probe"  # unit/record separator symbols: never a real turn's start


@dataclass
class FormattedPrompt:
    """A chat request rendered to tokens.

    Attributes:
        tokens: Prompt tokens, special tokens included.
        stop: Stop strings (the chat format's and the caller's).
        stopping_criteria: The chat format's stopping criteria (or None).
    """

    tokens: list[int]
    stop: list[str]
    stopping_criteria: Any


class _Captured(Exception):
    """Carries the arguments of `create_completion` out of a chat handler."""

    def __init__(self, kwargs: dict[str, Any]) -> None:
        super().__init__("prompt captured")
        self.kwargs = kwargs


class _CapturingLlama:
    """Stands in for `Llama` inside a chat handler and stops at `create_completion`."""

    def __init__(self, llm: Any) -> None:
        self._llm = llm

    def __getattr__(self, name: str) -> Any:
        return getattr(self._llm, name)

    def create_completion(self, **kwargs: Any) -> Any:
        raise _Captured(kwargs)


def chat_handler(llm: Any) -> Any:
    """Return the chat handler `Llama.create_chat_completion` would use."""
    handlers: dict[str, Any] = getattr(llm, "_chat_handlers", {})
    return (
        llm.chat_handler
        or handlers.get(llm.chat_format)
        or llama_chat_format.get_chat_completion_handler(llm.chat_format)
    )


def format_prompt(
    llm: Any, messages: list[dict[str, str]], stop: list[str] | None = None
) -> FormattedPrompt:
    """Render messages to prompt tokens with the model's chat handler.

    Args:
        llm: A loaded `llama_cpp.Llama`.
        messages: Messages as returned by `to_llama_messages`.
        stop: Extra stop strings.

    Returns:
        The prompt tokens, stop strings and stopping criteria.
    """
    handler = chat_handler(llm)
    try:
        handler(llama=_CapturingLlama(llm), messages=messages, stop=list(stop or []))
    except _Captured as captured:
        kwargs = captured.kwargs
    else:
        raise UnsupportedInputError(
            f"chat format '{llm.chat_format}' does not render a text prompt "
            "(multimodal or function-calling handlers are not supported)"
        )
    prompt = kwargs["prompt"]
    if isinstance(prompt, str):  # handlers that leave tokenisation to create_completion
        prompt = llm.tokenize(prompt.encode("utf-8"), add_bos=True, special=True)
    raw_stop = kwargs.get("stop") or []
    stops = [raw_stop] if isinstance(raw_stop, str) else list(raw_stop)
    return FormattedPrompt(
        tokens=[int(t) for t in prompt],
        stop=stops,
        stopping_criteria=kwargs.get("stopping_criteria"),
    )


def leading_system_messages(messages: list[dict[str, str]]) -> list[dict[str, str]]:
    """Return the system messages at the start of a conversation."""
    leading: list[dict[str, str]] = []
    for message in messages:
        if message["role"] != "system":
            break
        leading.append(message)
    return leading


def system_prefix_length(
    llm: Any,
    messages: list[dict[str, str]],
    tokens: list[int],
    probes: dict[tuple[str, ...], list[int]] | None = None,
) -> int:
    """Return how many prompt tokens belong to the shared system-prompt prefix.

    The prefix is where the prompt stops agreeing with the same system messages
    followed by a probe user turn: the system prompt plus the opening of the user
    turn, so every sample of a condition has the same prefix whatever its query.

    Args:
        llm: A loaded `llama_cpp.Llama`.
        messages: The request's messages.
        tokens: The request's prompt tokens.
        probes: Optional memo of probe tokens by system text (kept to 16 entries).

    Returns:
        Prefix length in tokens (0 when the request has no system message).
    """
    system = leading_system_messages(messages)
    if not system:
        return 0
    key = tuple(message["content"] for message in system)
    probe = probes.get(key) if probes is not None else None
    if probe is None:
        probe = format_prompt(llm, [*system, {"role": "user", "content": _PROBE_TEXT}]).tokens
        if probes is not None:
            if len(probes) >= 16:
                probes.pop(next(iter(probes)))
            probes[key] = probe
    return common_prefix_length(probe, tokens)
