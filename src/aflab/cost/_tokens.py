"""Token counts for estimates: OpenAI's o200k_base encoding, offline."""

from __future__ import annotations

from functools import cache
from typing import Any

CHARS_PER_TOKEN = 4


@cache
def _encoding() -> Any:
    from aflab._offline import ensure_tiktoken_encoding

    ensure_tiktoken_encoding()
    try:
        import tiktoken

        return tiktoken.get_encoding("o200k_base")
    except Exception:  # no encoding at hand: fall back to characters / 4
        return None


def count_tokens(text: str) -> int:
    """Tokens of `text` in o200k_base (characters / 4 where the encoding is unavailable).

    Examples:
        >>> count_tokens("The library opens at nine.")
        6
    """
    encoding = _encoding()
    if encoding is None:
        return -(-len(text) // CHARS_PER_TOKEN)
    return len(encoding.encode(text, disallowed_special=()))
