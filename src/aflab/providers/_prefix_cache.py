"""Saved KV states of shared prompt prefixes, and the counters that show their use.

Every sample of a condition starts with the same long system prompt. llama.cpp keeps
one context: when samples of different conditions interleave, the prefix of one
condition overwrites the other's. This module saves the KV cache of a prefix (one
sequence only, without logits, so saving and restoring cost milliseconds) and puts
it back before a prompt that starts with it.
"""

from __future__ import annotations

import ctypes
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import llama_cpp

from aflab.providers._errors import LlamaCppProviderError
from aflab.providers._prefix_stats import (
    CallStats,
    PrefixCounters,
    PrefixSource,
    common_prefix_length,
)

__all__ = [
    "CallStats",
    "PrefixCounters",
    "PrefixSource",
    "PrefixState",
    "PrefixStateCache",
    "common_prefix_length",
    "context_tokens",
    "restore_state",
    "save_state",
    "truncate_context",
]

_SEQ_ID = 0  # llama-cpp-python puts every token of its single batch in sequence 0


@dataclass(frozen=True)
class PrefixState:
    """The KV cache of one token prefix, as written by llama.cpp."""

    tokens: tuple[int, ...]
    data: Any  # ctypes uint8 array owning the serialised sequence state
    size: int


class PrefixStateCache:
    """A small LRU of saved prefix states."""

    def __init__(self, max_states: int) -> None:
        """Create an empty cache.

        Args:
            max_states: Most states kept; the least recently used is dropped first.
        """
        if max_states < 1:
            raise ValueError(f"prefix_cache_size must be at least 1, got {max_states}")
        self.max_states = max_states
        self._states: OrderedDict[tuple[int, ...], PrefixState] = OrderedDict()

    def __len__(self) -> int:
        return len(self._states)

    def __contains__(self, tokens: tuple[int, ...]) -> bool:
        return tokens in self._states

    def best_match(self, tokens: Sequence[int]) -> PrefixState | None:
        """Return the longest saved state whose tokens are a prefix of `tokens`."""
        best: PrefixState | None = None
        for state in self._states.values():
            n = len(state.tokens)
            longer = best is None or n > len(best.tokens)
            if longer and n <= len(tokens) and common_prefix_length(state.tokens, tokens) == n:
                best = state
        if best is not None:
            self._states.move_to_end(best.tokens)
        return best

    def put(self, state: PrefixState) -> None:
        """Store a state, dropping the least recently used beyond `max_states`."""
        self._states[state.tokens] = state
        self._states.move_to_end(state.tokens)
        while len(self._states) > self.max_states:
            self._states.popitem(last=False)

    def clear(self) -> None:
        """Drop every saved state."""
        self._states.clear()


def context_tokens(llm: Any) -> Sequence[int]:
    """Return the tokens currently held in the context of a `Llama`."""
    ids: Sequence[int] = llm.input_ids[: llm.n_tokens]
    return ids


def truncate_context(llm: Any, n_tokens: int) -> int:
    """Keep only the first `n_tokens` tokens of the live context.

    Returns:
        The number of tokens kept: `n_tokens`, or 0 when the model's memory cannot
        drop a partial sequence (recurrent models) and the context was reset.
    """
    if n_tokens > 0:
        memory = llama_cpp.llama_get_memory(llm.ctx)
        if llama_cpp.llama_memory_seq_rm(memory, -1, n_tokens, -1):
            llm.n_tokens = n_tokens
            _mark_logits_stale(llm)
            return n_tokens
    llm.reset()
    return 0


def save_state(llm: Any) -> PrefixState:
    """Serialise the KV cache of the live context (sequence 0, no logits)."""
    size = llama_cpp.llama_state_seq_get_size(llm.ctx, _SEQ_ID)
    buffer = (ctypes.c_uint8 * size)()
    written = int(llama_cpp.llama_state_seq_get_data(llm.ctx, buffer, size, _SEQ_ID))
    if written <= 0 or written > size:
        raise LlamaCppProviderError(
            f"llama.cpp wrote {written} bytes of sequence state (expected 1..{size})"
        )
    tokens = tuple(int(t) for t in context_tokens(llm))
    return PrefixState(tokens=tokens, data=buffer, size=written)


def restore_state(llm: Any, state: PrefixState) -> None:
    """Replace the live context by a saved prefix state."""
    memory = llama_cpp.llama_get_memory(llm.ctx)
    llama_cpp.llama_memory_clear(memory, True)
    read = int(llama_cpp.llama_state_seq_set_data(llm.ctx, state.data, state.size, _SEQ_ID))
    if read != state.size:
        llm.reset()
        raise LlamaCppProviderError(
            f"llama.cpp read {read} of {state.size} bytes while restoring a prefix state"
        )
    n = len(state.tokens)
    llm.input_ids[:n] = state.tokens
    llm.n_tokens = n
    _mark_logits_stale(llm)


def _mark_logits_stale(llm: Any) -> None:
    # The logits of the last token are not part of a saved sequence state; this flag
    # makes `Llama.generate` re-evaluate a token before sampling from them.
    if hasattr(llm, "_requires_eval"):
        llm._requires_eval = True
