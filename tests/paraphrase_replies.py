"""Scripted paraphrase replies built from the shipped default wording."""

from __future__ import annotations

from collections.abc import Callable

from aflab.settings._paraphrase import SOURCE
from aflab.settings._paraphrase_template import TemplateText, passage_reply_format

Edit = Callable[[int, str], str]


def reworded(prefix: str = "Put another way: ") -> Edit:
    """Every passage kept in meaning, with a new opening."""
    return lambda _, text: prefix + text


def reply(edit: Edit) -> str:
    """A reply in the tagged format with each passage passed through `edit`."""
    source = TemplateText(SOURCE.read_text(encoding="utf-8"))
    return passage_reply_format(
        [type(p)(p.id, edit(p.id, p.text), p.placeholders) for p in source.passages]
    )


def passage_with(word: str) -> int:
    """Id of the first passage containing `word`."""
    source = TemplateText(SOURCE.read_text(encoding="utf-8"))
    return next(p.id for p in source.passages if word in p.text)
