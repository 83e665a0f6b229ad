r"""Word-anchored patterns searched by their body first.

A pattern that starts with ``\b`` or ``(?<!\w)`` gives Python's regex engine no literal or
character-set prefix to skip ahead with, so a search tries a match at every position of the
text: about 30 ms per MB per pattern, and the offline frame reading runs more than a hundred of
them. Searching the body alone lets the engine skip to the places its first word could start
(0.3 ms per MB for a body that starts with a literal word), and each place found is then
checked for the leading assertion. The result is the same match as the whole pattern's: the
leftmost position where both the assertion and the body match, with the same body match.
The time stays linear: each failed check moves the search one position on.
"""

from __future__ import annotations

import re

_LEADS = (r"\b", r"(?<!\w)")


def _top_level_bar(pattern: str) -> bool:
    """Whether ``pattern`` has a ``|`` outside every group and character class."""
    depth, in_class, escaped = 0, False, False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return True
    return False


class AnchoredPattern:
    r"""A compiled pattern whose leading word assertion is checked after its body is found.

    Examples:
        >>> pattern = AnchoredPattern(r"\bi know\b")
        >>> pattern.search("ski know; i know").start()
        10
        >>> pattern.count("i know, i know")
        2
    """

    def __init__(self, pattern: str) -> None:
        """Compile ``pattern`` (any regular expression; only a leading assertion is split off).

        Args:
            pattern: The regular expression.
        """
        self.pattern = pattern
        self._whole = re.compile(pattern)
        self._lead: re.Pattern[str] | None = None
        self._body = self._whole
        lead = next((x for x in _LEADS if pattern.startswith(x)), None)
        if lead is not None and not _top_level_bar(pattern):
            self._lead = re.compile(lead)
            self._body = re.compile(pattern[len(lead):])

    def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
        """The leftmost match at or after ``pos``, as ``re.Pattern.search`` gives it."""
        if self._lead is None:
            return self._whole.search(text, pos)
        while (found := self._body.search(text, pos)) is not None:
            if self._lead.match(text, found.start()) is not None:
                return found
            pos = found.start() + 1
        return None

    def count(self, text: str) -> int:
        """How many matches ``re.Pattern.findall`` would return (non-overlapping, left to right)."""
        total, pos = 0, 0
        while pos <= len(text) and (found := self.search(text, pos)) is not None:
            total += 1
            pos = found.end() if found.end() > found.start() else found.end() + 1
        return total
