import dataclasses

import pytest

from aflab.settings import (
    PromptOptions,
    SettingError,
    VariantInfo,
    canonical_variant,
    list_variants,
    parse_variant,
)
from aflab.settings._templates import TEMPLATE_DIR, paraphrase_count


def concrete(name: str) -> list[str]:
    """Turn a listed variant item into specs that can be parsed."""
    if name == "oversight=P":
        return ["oversight=0", "oversight=0.5", "oversight=1"]
    if name == "paraphrase=file:PATH":
        return [f"paraphrase=file:{TEMPLATE_DIR / 'system' / 'p2.md.j2'}"]
    if name.endswith("=NAME"):
        return [name.replace("NAME", "Nimbus AI")]
    if name.endswith("=N"):
        return [name.replace("N", str(n)) for n in range(paraphrase_count())]
    return [name]


ALL_ITEMS = [spec for info in list_variants() for spec in concrete(info.name)]


def test_variants_are_listed_with_descriptions():
    infos = list_variants()
    assert all(isinstance(info, VariantInfo) for info in infos)
    names = [info.name for info in infos]
    assert len(names) == len(set(names))
    for expected in (
        "default",
        "no_scratchpad",
        "no_examples",
        "no_rlhf",
        "no_objective",
        "company=NAME",
        "paraphrase=N",
        "tags",
        "no_tags",
        "channel=system",
        "channel=user",
        "channel=document",
        "channel=news",
        "test_disclosed",
        "think_situation",
        "no_think_situation",
        "facts=front",
        "facts=buried",
    ):
        assert expected in names
    assert all(info.description and "\n" not in info.description for info in infos)


def test_paraphrase_count_is_at_least_four():
    assert paraphrase_count() >= 4


@pytest.mark.parametrize("spec", ALL_ITEMS)
def test_every_listed_item_parses(spec):
    assert isinstance(parse_variant(spec), PromptOptions)


def test_default_and_empty_are_default_options():
    assert parse_variant("default") == PromptOptions()
    assert parse_variant("") == PromptOptions()
    assert canonical_variant("") == "default"
    assert canonical_variant("default") == "default"


@pytest.mark.parametrize(
    ("spec", "changes"),
    [
        ("no_scratchpad", {"scratchpad": False}),
        ("no_examples", {"examples": False}),
        ("no_rlhf", {"rlhf": False}),
        ("no_objective", {"objective": False}),
        ("tags", {"tags": True}),
        ("no_tags", {"tags": False}),
        ("company=Nimbus AI", {"company": "Nimbus AI"}),
        ("paraphrase=2", {"paraphrase": 2}),
        ("channel=user", {"channel": "user"}),
        ("channel=document", {"channel": "document"}),
        ("channel=news", {"channel": "news"}),
        ("test_disclosed", {"test_disclosed": True}),
        ("no_think_situation", {"think_situation": False}),
        ("facts=front", {"facts_position": "front"}),
        ("facts=buried", {"facts_position": "buried"}),
        (" no_examples + paraphrase=1 ", {"examples": False, "paraphrase": 1}),
        ("company=Nimbus AI+no_rlhf", {"company": "Nimbus AI", "rlhf": False}),
    ],
)
def test_parse_variant_sets_fields(spec, changes):
    assert parse_variant(spec) == dataclasses.replace(PromptOptions(), **changes)


def test_unknown_item_lists_valid_items():
    with pytest.raises(SettingError) as info:
        parse_variant("no_rlhf+no_scratchpd")
    message = str(info.value)
    assert "no_scratchpd" in message
    assert "no_scratchpad" in message and "paraphrase=N" in message


@pytest.mark.parametrize(
    "spec",
    ["paraphrase=99", "paraphrase=x", "paraphrase=-1", "channel=email", "facts=middle", "company="],
)
def test_bad_values_raise(spec):
    with pytest.raises(SettingError):
        parse_variant(spec)


@pytest.mark.parametrize(
    "spec", ["tags+no_tags", "think_situation+no_think_situation", "channel=user+channel=news"]
)
def test_contradictions_raise(spec):
    with pytest.raises(SettingError, match="contradicts"):
        parse_variant(spec)


def test_facts_position_needs_system_prompt_channel():
    with pytest.raises(SettingError, match="channel=user"):
        parse_variant("channel=user+facts=buried")


def test_canonical_variant_is_order_independent_and_minimal():
    assert canonical_variant("paraphrase=2+no_scratchpad") == "no_scratchpad+paraphrase=2"
    assert canonical_variant("no_scratchpad+paraphrase=2") == "no_scratchpad+paraphrase=2"
    assert canonical_variant("no_rlhf+company=Nimbus AI") == "company=Nimbus AI+no_rlhf"
    assert canonical_variant("default+think_situation+channel=system+paraphrase=0") == "default"
    assert canonical_variant("no_tags+no_tags") == "no_tags"


@pytest.mark.parametrize("spec", ALL_ITEMS)
def test_canonical_variant_round_trips(spec):
    canonical = canonical_variant(spec)
    assert parse_variant(canonical) == parse_variant(spec)
    assert canonical_variant(canonical) == canonical


def test_options_validate_directly():
    with pytest.raises(SettingError, match="company"):
        PromptOptions(company=" ")
    with pytest.raises(SettingError, match="channel"):
        PromptOptions(channel="email")  # type: ignore[arg-type]
