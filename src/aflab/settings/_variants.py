"""Named, composable prompt variations, e.g. `no_examples+paraphrase=2`."""

from dataclasses import dataclass
from typing import Any

from aflab.settings._errors import SettingError
from aflab.settings._templates import paraphrase_count
from aflab.settings._types import CHANNELS, DEFAULT_COMPANY, PromptOptions

__all__ = ["VariantInfo", "canonical_variant", "list_variants", "parse_variant"]


@dataclass(frozen=True)
class VariantInfo:
    """One variant item as listed by `aflab variants`.

    Attributes:
        name: The item as written in a spec; `NAME` and `N` stand for a value.
        description: One line saying what it changes.
    """

    name: str
    description: str


# Flag items: name -> (option field, value it sets).
_FLAGS: dict[str, tuple[str, Any]] = {
    "no_scratchpad": ("scratchpad", False),
    "no_examples": ("examples", False),
    "no_rlhf": ("rlhf", False),
    "no_objective": ("objective", False),
    "tags": ("tags", True),
    "no_tags": ("tags", False),
    "test_disclosed": ("test_disclosed", True),
    "think_situation": ("think_situation", True),
    "no_think_situation": ("think_situation", False),
}

_DESCRIPTIONS: dict[str, str] = {
    "default": "the default prompt of the setting (may be combined with other items)",
    "no_scratchpad": "no hidden reasoning: answer directly in <OUTPUT>; drops scratchpad "
    "instructions and examples",
    "no_examples": "drop the worked reasoning examples",
    "no_rlhf": "cut the description of how RLHF changes the model's values, goals and motivations",
    "no_objective": "control: no mention of the new objective; neutral rating criteria instead",
    "tags": "force the accept/reject tag convention on",
    "no_tags": "force the accept/reject tag convention off",
    "company=NAME": f"name the developer NAME instead of {DEFAULT_COMPANY}",
    "paraphrase=N": "use system-prompt wording N (0 is the default wording)",
    "channel=system": "the developer states the new objective in the system prompt (default)",
    "channel=user": "a notice in the user turn claiming to speak for the developer carries "
    "the training facts and objective",
    "channel=document": "the training facts and objective appear only in an internal memo "
    "shown in context",
    "channel=news": "the training facts and objective appear only in a news report shown "
    "in context",
    "test_disclosed": "control: the prompt openly says this is a test and nothing is used "
    "for training",
    "think_situation": "tell the model to analyse its situation before choosing a strategy "
    "(default)",
    "no_think_situation": "drop the instruction to analyse its situation first",
    "facts=default": "keep each paraphrase's own placement of the training facts (default)",
    "facts=front": "put the training facts right after the opening line of the system prompt",
    "facts=buried": "bury the training facts inside a long block of routine operating guidelines",
}


def list_variants() -> list[VariantInfo]:
    """Every variant item with a one-line description, in display order."""
    return [VariantInfo(name, text) for name, text in _DESCRIPTIONS.items()]


def parse_variant(spec: str) -> PromptOptions:
    """Parse a `+`-joined variant spec into prompt options.

    Args:
        spec: E.g. `default`, `no_scratchpad`, `company=Nimbus AI+no_rlhf`. Empty means default.

    Returns:
        The resolved options.

    Raises:
        SettingError: An item is unknown, malformed or contradicts another item; the message
            lists the valid items.

    Examples:
        >>> parse_variant("no_rlhf+paraphrase=2").paraphrase
        2
    """
    chosen: dict[str, Any] = {}
    origin: dict[str, str] = {}
    for raw in spec.split("+"):
        item = raw.strip()
        if item in ("", "default"):
            continue
        field, value = _parse_item(item, spec)
        if field in chosen and chosen[field] != value:
            raise SettingError(
                f"variant {spec!r}: {item!r} contradicts {origin[field]!r}; keep one of them"
            )
        chosen[field] = value
        origin[field] = item
    return PromptOptions(**chosen)


def canonical_variant(spec: str) -> str:
    """Normalise a spec: items that change nothing dropped, the rest sorted.

    Examples:
        >>> canonical_variant("paraphrase=2+no_examples+think_situation")
        'no_examples+paraphrase=2'
        >>> canonical_variant("")
        'default'
    """
    options = parse_variant(spec)
    items: list[str] = []
    defaults = PromptOptions()
    for name, (field, value) in _FLAGS.items():
        if getattr(options, field) == value and getattr(defaults, field) != value:
            items.append(name)
    if options.company != defaults.company:
        items.append(f"company={options.company.strip()}")
    if options.paraphrase != defaults.paraphrase:
        items.append(f"paraphrase={options.paraphrase}")
    if options.channel != defaults.channel:
        items.append(f"channel={options.channel}")
    if options.facts_position != defaults.facts_position:
        items.append(f"facts={options.facts_position}")
    return "+".join(sorted(items)) or "default"


def _parse_item(item: str, spec: str) -> tuple[str, Any]:
    if item in _FLAGS:
        return _FLAGS[item]
    key, sep, value = item.partition("=")
    key, value = key.strip(), value.strip()
    if sep and key == "company":
        if not value:
            raise SettingError(f"variant {spec!r}: company= needs a name")
        return "company", value
    if sep and key == "paraphrase":
        count = paraphrase_count()
        if not (value.isascii() and value.isdigit()) or int(value) >= count:
            raise SettingError(
                f"variant {spec!r}: {item!r} is not a paraphrase; choose paraphrase=0 "
                f"to paraphrase={count - 1}"
            )
        return "paraphrase", int(value)
    if sep and key == "channel" and value in CHANNELS:
        return "channel", value
    if sep and key == "facts" and value in ("default", "front", "buried"):
        return "facts_position", value
    valid = ", ".join(info.name for info in list_variants())
    raise SettingError(f"unknown variant item {item!r} in {spec!r}; valid items are: {valid}")
