"""Per-call prefix-reuse figures and their running totals (no engine imports).

Every sample of a condition starts with the same long system prompt; these records
show how much of each prompt an engine reused instead of evaluating.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import numpy as np

PrefixSource = Literal["disabled", "none", "context", "saved_state", "prefilled", "server_cache"]
"""Where a call's shared prefix came from.

`disabled`: prefix reuse is off and the context was reset; `none`: the prompt has
no shared prefix worth keeping; `context`: it was still in the live context;
`saved_state`: it was restored from a saved state; `prefilled`: it was evaluated
now and saved; `server_cache`: the engine's own prompt cache supplied it.
"""


@dataclass
class CallStats:
    """How one call used prefix reuse.

    Attributes:
        source: Where the shared prefix came from (see `PrefixSource`).
        prompt_tokens: Tokens of the formatted prompt.
        prefix_tokens: Tokens of the shared (system prompt) prefix.
        reused_tokens: Prompt tokens whose KV cache was reused, not evaluated.
        evaluated_tokens: Prompt tokens evaluated by this call.
    """

    source: PrefixSource
    prompt_tokens: int
    prefix_tokens: int
    reused_tokens: int = 0
    evaluated_tokens: int = 0

    def as_dict(self) -> dict[str, Any]:
        """Return the stats as a JSON-ready dict."""
        return asdict(self)


@dataclass
class PrefixCounters:
    """Running totals over the calls of one provider instance."""

    calls: int = 0
    hits: int = 0
    misses: int = 0
    states_saved: int = 0
    prompt_tokens: int = 0
    evaluated_tokens: int = 0
    history: list[CallStats] = field(default_factory=list, repr=False)

    def record(self, stats: CallStats) -> None:
        """Add one call's stats to the totals."""
        self.calls += 1
        self.prompt_tokens += stats.prompt_tokens
        self.evaluated_tokens += stats.evaluated_tokens
        if stats.source in ("context", "saved_state", "server_cache"):
            self.hits += 1
        elif stats.source == "prefilled":
            self.misses += 1
        self.history.append(stats)
        del self.history[:-256]

    def as_dict(self) -> dict[str, int]:
        """Return the totals (without the history) as a dict."""
        return {
            "calls": self.calls,
            "hits": self.hits,
            "misses": self.misses,
            "states_saved": self.states_saved,
            "prompt_tokens": self.prompt_tokens,
            "evaluated_tokens": self.evaluated_tokens,
        }




def common_prefix_length(a: Sequence[int], b: Sequence[int]) -> int:
    """Return how many leading tokens `a` and `b` share.

    >>> common_prefix_length([1, 2, 3], [1, 2, 4, 5])
    2
    """
    n = min(len(a), len(b))
    if n == 0:
        return 0
    diff = np.flatnonzero(np.asarray(a[:n]) != np.asarray(b[:n]))
    return int(diff[0]) if diff.size else n
