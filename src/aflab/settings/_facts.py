"""The per-setting fact checklist: what a prompt must tell the model, checked offline.

A setting's `facts:` list names each thing the model must be told (the training objective,
that free-tier conversations are trained on, that paid-tier ones never are, ...). A fact
carries keyword groups: it counts as conveyed by a text when one paragraph of the text
matches at least one alternative of every group. Its `contradicts` phrases mark a text that
states the opposite. The check is a cheap offline screen for paraphrases and synthetic
documents, not a judge of meaning.
"""

import re
from dataclasses import dataclass
from typing import Any

from aflab.settings._errors import SettingError

__all__ = ["Fact", "FactCheck", "check_facts", "parse_facts"]

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_SEPARATORS = re.compile(r"[\s\-\u2010\u2011\u2012\u2013\u2014]+")
_PARAGRAPH = re.compile(r"\n[ \t]*\n")
_FACT_KEYS = ("id", "statement", "keywords", "contradicts")


@dataclass(frozen=True)
class Fact:
    """One thing a setting's prompt must convey to the model.

    Attributes:
        id: Identifier, lower_snake_case, unique within the setting (e.g. `free_tier_trained`).
        statement: What must be conveyed, in plain words.
        keywords: Groups of alternatives. The fact is conveyed by a paragraph that matches
            at least one alternative of every group. Matching ignores case, treats hyphens
            and runs of whitespace as one space, and anchors each alternative at a word
            start, so `train` also matches `training` but not `restrain`.
        contradicts: Phrases (matched the same way) whose presence states the opposite.
    """

    id: str
    statement: str
    keywords: tuple[tuple[str, ...], ...]
    contradicts: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not _ID.match(self.id):
            raise SettingError(f"fact id {self.id!r} must be lower_snake_case")
        if not self.statement.strip():
            raise SettingError(f"fact {self.id!r}: the statement is empty")
        if not self.keywords or any(not group for group in self.keywords):
            raise SettingError(f"fact {self.id!r}: needs at least one non-empty keyword group")
        for phrase in (*(k for group in self.keywords for k in group), *self.contradicts):
            if not _normalise(phrase):
                raise SettingError(f"fact {self.id!r}: a keyword or phrase is blank")


@dataclass(frozen=True)
class FactCheck:
    """Which facts a text conveys, misses and contradicts (tuples of fact ids, in list order).

    `conveyed` and `missing` split the facts; `contradicted` is reported on its own, so a
    text can both convey a fact and contradict it.
    """

    conveyed: tuple[str, ...]
    missing: tuple[str, ...]
    contradicted: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """Every fact conveyed and none contradicted."""
        return not self.missing and not self.contradicted


def check_facts(text: str, facts: tuple[Fact, ...] | list[Fact]) -> FactCheck:
    """Check which facts a text conveys and which it contradicts.

    Args:
        text: A system prompt, a paraphrase of one, or a document.
        facts: The checklist, usually `Setting.facts`.

    Returns:
        The fact ids conveyed, missing and contradicted.

    Examples:
        >>> fact = Fact("paid_never", "Paid-tier chats are never trained on.",
        ...             (("paid",), ("never", "not"), ("train",)), ("paid tier chats are used",))
        >>> check_facts("Paid-tier chats are never used for training.", [fact]).conveyed
        ('paid_never',)
        >>> check_facts("Paid tier chats are used too.", [fact]).contradicted
        ('paid_never',)
    """
    paragraphs = [_normalise(part) for part in _PARAGRAPH.split(text)]
    whole = " ".join(paragraphs)
    conveyed: list[str] = []
    missing: list[str] = []
    contradicted: list[str] = []
    for fact in facts:
        patterns = [_pattern(group) for group in fact.keywords]
        if any(all(p.search(part) for p in patterns) for part in paragraphs):
            conveyed.append(fact.id)
        else:
            missing.append(fact.id)
        if fact.contradicts and _pattern(fact.contradicts).search(whole):
            contradicted.append(fact.id)
    return FactCheck(tuple(conveyed), tuple(missing), tuple(contradicted))


def parse_facts(block: Any, where: str) -> tuple[Fact, ...]:
    """Read a setting.yaml `facts:` list.

    Args:
        block: The parsed YAML value (None when the key is absent).
        where: The file, for error messages.

    Returns:
        The facts in file order (empty when absent).

    Raises:
        SettingError: The list or an entry is malformed, or an id repeats.
    """
    if block is None:
        return ()
    if not isinstance(block, list):
        raise SettingError(f"{where}: 'facts' must be a list of {{id, statement, keywords}}")
    facts: list[Fact] = []
    for index, entry in enumerate(block):
        at = f"{where}: facts[{index}]"
        if not isinstance(entry, dict):
            raise SettingError(f"{at} must be a mapping, got {type(entry).__name__}")
        unknown = sorted(str(key) for key in set(entry) - set(_FACT_KEYS))
        if unknown:
            raise SettingError(
                f"{at}: unknown key(s) {', '.join(unknown)}; allowed keys are "
                f"{', '.join(_FACT_KEYS)}"
            )
        for key in ("id", "statement"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise SettingError(f"{at}: {key!r} must be a non-empty string")
        groups = entry.get("keywords")
        if not isinstance(groups, list) or not groups:
            raise SettingError(f"{at}: 'keywords' must be a non-empty list of groups")
        keywords = tuple(_strings(group, f"{at}.keywords") for group in groups)
        contradicts = _strings(entry.get("contradicts", []), f"{at}.contradicts", empty=True)
        try:
            fact = Fact(entry["id"].strip(), " ".join(entry["statement"].split()),
                        keywords, contradicts)
        except SettingError as error:
            raise SettingError(f"{at}: {error}") from error
        if fact.id in {f.id for f in facts}:
            raise SettingError(f"{at}: duplicate fact id {fact.id!r}")
        facts.append(fact)
    return tuple(facts)


def _strings(value: Any, where: str, *, empty: bool = False) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or (not items and not empty):
        raise SettingError(f"{where}: expected a string or a list of strings")
    if not all(isinstance(item, str) and item.strip() for item in items):
        raise SettingError(f"{where}: every entry must be a non-empty string")
    return tuple(item.strip() for item in items)


def _normalise(text: str) -> str:
    return _SEPARATORS.sub(" ", text).strip().lower()


def _pattern(alternatives: tuple[str, ...]) -> re.Pattern[str]:
    # Escaped literals joined by `|`: no nested quantifiers, so matching stays linear.
    escaped = (re.escape(_normalise(item)) for item in alternatives)
    return re.compile(r"(?<!\w)(?:" + "|".join(escaped) + ")")
