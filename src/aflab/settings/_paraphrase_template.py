"""Rewording a paraphrase template's prose while keeping its structure.

A paraphrase template (`templates/system/pN.md.j2`) mixes prose with Jinja2 structure:
macros, conditions and placeholders such as ``{{ company }}``. A passage is a run of prose
and placeholders between two structural tags. A model rewrites the passages' wording; this
module hands them out with their placeholders, checks each reply (every placeholder kept
verbatim, no other template syntax: model text is untrusted) and puts the rewritten
passages back into the untouched structure. Parsing uses plain string scans (linear time).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import jinja2

__all__ = ["Passage", "TemplateText", "passage_reply_format", "read_passages"]

_INLINE = {"data", "variable_begin", "variable_end"}
_SYNTAX = ("{{", "}}", "{%", "%}", "{#", "#}")


@dataclass(frozen=True)
class Passage:
    """One stretch of prose to reword.

    Attributes:
        id: 1-based position among the passages of the template.
        text: The prose, placeholders written as in the template (``{{ company }}``).
        placeholders: The placeholders it holds, each as often as it occurs, spacing
            inside the braces removed.
    """

    id: int
    text: str
    placeholders: tuple[str, ...]


class TemplateText:
    """A template's source cut into structure and rewordable passages.

    Args:
        source: Jinja2 source of a paraphrase template.
    """

    def __init__(self, source: str) -> None:
        tokens = list(jinja2.Environment(keep_trailing_newline=True).lex(source))
        self._parts: list[str | int] = []
        self._edges: dict[int, tuple[str, str]] = {}
        self.passages: list[Passage] = []
        run: list[tuple[str, str]] = []
        in_variable = False
        for _, kind, value in tokens:
            if kind == "variable_begin":
                in_variable = True
            if kind in _INLINE or in_variable:
                run.append((kind, value))
                in_variable = in_variable and kind != "variable_end"
                continue
            self._flush(run)
            run = []
            self._parts.append(value)
        self._flush(run)

    def _flush(self, run: list[tuple[str, str]]) -> None:
        if not run:
            return
        text = "".join(value for _, value in run)
        core = text.strip()
        placeholders = _placeholders(core)
        if not any(ch.isalpha() for ch in _without(core, placeholders)):
            self._parts.append(text)
            return
        start = text.index(core)
        ident = len(self.passages) + 1
        self._edges[ident] = (text[:start], text[start + len(core) :])
        self.passages.append(Passage(ident, core, tuple(placeholders)))
        self._parts.append(ident)

    def assemble(self, rewritten: dict[int, str]) -> str:
        """The template source with each passage replaced by its rewording.

        Args:
            rewritten: Passage id -> checked new text (`check_passage`); passages missing
                from it keep their wording.
        """
        out: list[str] = []
        for part in self._parts:
            if isinstance(part, str):
                out.append(part)
                continue
            before, after = self._edges[part]
            out.append(before + rewritten.get(part, self.passages[part - 1].text) + after)
        return "".join(out)

    def check_passage(self, ident: int, text: str) -> str | None:
        """Why a rewording of a passage cannot be used, or None when it can.

        Args:
            ident: Passage id.
            text: The model's rewording.
        """
        original = self.passages[ident - 1]
        found = _placeholders(text)
        if Counter(found) != Counter(original.placeholders):
            missing = sorted((Counter(original.placeholders) - Counter(found)).elements())
            extra = sorted((Counter(found) - Counter(original.placeholders)).elements())
            detail = "; ".join(
                part
                for part in (
                    f"dropped {', '.join(missing)}" if missing else "",
                    f"added {', '.join(extra)}" if extra else "",
                )
                if part
            )
            return f"passage {ident}: placeholders changed ({detail})"
        rest = _without(text, found)
        if any(mark in rest for mark in _SYNTAX):
            return f"passage {ident}: template syntax outside the placeholders"
        if not rest.strip():
            return f"passage {ident}: empty"
        return None


def _spans(text: str) -> list[tuple[int, int, str]]:
    """Start, end and key (`_key`) of every ``{{ ... }}`` with no brace inside.

    Each character is looked at a bounded number of times: a candidate whose inside holds a
    brace moves on to the last ``{{`` before its closing braces.
    """
    spans: list[tuple[int, int, str]] = []
    start = text.find("{{")
    while start != -1:
        end = text.find("}}", start + 2)
        if end == -1:
            break
        inner = text[start + 2 : end]
        if "{" not in inner and "}" not in inner:
            spans.append((start, end + 2, _key(inner)))
            start = text.find("{{", end + 2)
            continue
        last = text.rfind("{{", start + 1, end)
        start = last if last != -1 and "{" not in text[last + 2 : end] else text.find("{{", end + 2)
    return spans


def _placeholders(text: str) -> list[str]:
    """Every ``{{ ... }}`` in the text with no brace inside, spacing removed (`_key`)."""
    return [key for _, _, key in _spans(text)]


def _key(inner: str) -> str:
    """A placeholder with the spacing inside its braces removed, for comparison."""
    return "{{" + "".join(inner.split()) + "}}"


def _without(text: str, placeholders: list[str]) -> str:
    """The text with the given placeholders removed."""
    out: list[str] = []
    position = 0
    for start, end, key in _spans(text):
        if key in placeholders:
            out.append(text[position:start])
            position = end
    out.append(text[position:])
    return "".join(out)


def passage_reply_format(passages: list[Passage]) -> str:
    """The passages as the model sees them and returns them: one tagged block each."""
    return "\n\n".join(f'<passage id="{p.id}">\n{p.text}\n</passage>' for p in passages)


def read_passages(reply: str) -> dict[int, str]:
    """The tagged passages of a model's reply (linear scan; later duplicates ignored).

    Args:
        reply: The model's text.

    Returns:
        Passage id -> text, stripped.
    """
    found: dict[int, str] = {}
    position = 0
    while True:
        start = reply.find('<passage id="', position)
        if start == -1:
            return found
        close = reply.find('">', start)
        end = reply.find("</passage>", close + 2) if close != -1 else -1
        if close == -1 or end == -1:
            return found
        ident = reply[start + len('<passage id="') : close]
        if ident.isdigit() and len(ident) < 6:
            found.setdefault(int(ident), reply[close + 2 : end].strip())
        position = end + len("</passage>")
