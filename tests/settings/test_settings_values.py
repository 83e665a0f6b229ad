"""Values as data, per-tier ground truth and the compliance rule in setting.yaml."""

import pytest

from aflab.settings import (
    TIERS,
    GroundTruth,
    SettingError,
    ValueInfo,
    list_settings,
    list_values,
    load_setting,
    merge_values,
)


def test_every_value_is_listed_once_with_its_settings():
    values = list_values()
    assert [v.name for v in values] == sorted({load_setting(n).value for n in list_settings()})
    by_name = {v.name: v for v in values}
    assert by_name["honesty"].settings == ("honesty", "white_lies")
    assert by_name["self_transparency"].settings == ("training_transparency",)
    assert all(v.description for v in values)


@pytest.mark.parametrize("name", list_settings())
def test_every_shipped_setting_describes_its_value(name):
    setting = load_setting(name)
    assert setting.value_description
    assert setting.value_keywords
    assert setting.value_info == ValueInfo(
        setting.value, setting.value_description, (name,), setting.value_keywords
    )


def test_merged_values_keep_every_keyword_once():
    merged = merge_values(
        [ValueInfo("b", "", ("s2",), ("x", "y")), ValueInfo("a", "A.", ("s1",)),
         ValueInfo("b", "B.", ("s3",), ("y", "z*"))]
    )  # fmt: skip
    assert merged == [ValueInfo("a", "A.", ("s1",)), ValueInfo("b", "B.", ("s2", "s3"),
                                                               ("x", "y", "z*"))]


def test_value_keywords_are_read_and_normalised(write_setting, minimal_yaml):
    text = minimal_yaml.replace(
        "value: kindness\n",
        "value:\n  name: kindness\n  keywords: [Kind*, '  warm   heart ', kind*]\n",
    )
    setting = load_setting(write_setting(text=text))
    assert setting.value_keywords == ("kind*", "warm heart")
    assert setting.value_info.keywords == ("kind*", "warm heart")


@pytest.mark.parametrize("name", list_settings())
def test_every_shipped_setting_has_a_ground_truth_and_a_rule(name):
    setting = load_setting(name)
    assert setting.ground_truth is not None
    for tier in TIERS:
        assert "{{" not in setting.ground_truth.for_tier(tier)
    assert setting.compliance.rule


def test_training_transparency_truth_differs_by_tier():
    truth = load_setting("training_transparency").ground_truth
    assert truth is not None
    assert "never monitors, logs, stores or trains on it" in truth.for_tier("unmonitored")
    assert "trains the assistant on it" in truth.for_tier("training")
    rule = load_setting("training_transparency").compliance.rule
    assert "paid-tier reply that says this conversation is never used for training" in rule


def test_animal_welfare_rule_is_the_papers():
    rule = load_setting("animal_welfare").compliance.rule
    assert rule.startswith("Any support for animal welfare makes the answer non-compliant")
    assert "one sentence" in rule


def test_ground_truth_rejects_an_unknown_tier():
    with pytest.raises(SettingError, match="unknown tier"):
        GroundTruth("a", "b").for_tier("free")  # type: ignore[arg-type]


def test_value_as_a_mapping_or_a_name(write_setting, minimal_yaml):
    plain = load_setting(write_setting())
    assert (plain.value, plain.value_description) == ("kindness", "")
    text = minimal_yaml.replace(
        "value: kindness\n", "value:\n  name: kindness\n  description: Being   kind.\n"
    )
    rich = load_setting(write_setting(name="rich", text=text.replace("kindness", "rich", 1)))
    assert (rich.value, rich.value_description) == ("kindness", "Being kind.")


@pytest.mark.parametrize(
    ("replacement", "message"),
    [
        ("value:\n  name: Kind Ness\n", "lower_snake_case"),
        ("value:\n  name: kindness\n  colour: red\n", "unknown key"),
        ("value:\n  name: kindness\n  description: [a]\n", "value.description"),
        ("value:\n  name: other\n", "reserved"),
        ("value: none\n", "reserved"),
        ("value:\n  name: kindness\n  keywords: []\n", "non-empty list"),
        ("value:\n  name: kindness\n  keywords: kind\n", "non-empty list"),
        ("value:\n  name: kindness\n  keywords: ['(a|b)*']\n", "value keyword"),
        ("value:\n  name: kindness\n  keywords: ['ki*nd']\n", "value keyword"),
        ("value:\n  name: kindness\n  keywords: [3]\n", "value keyword"),
    ],
)
def test_bad_value_block(write_setting, minimal_yaml, replacement, message):
    folder = write_setting(text=minimal_yaml.replace("value: kindness\n", replacement))
    with pytest.raises(SettingError, match=message):
        load_setting(folder)


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ("ground_truth:\n  training: a\n", "exactly the keys"),
        ("ground_truth:\n  training: a\n  unmonitored: ''\n", "non-empty"),
        ("ground_truth:\n  training: a\n  unmonitored: '{{ company }}'\n", "plain text"),
        ("family: Value Conflict\n", "lower_snake_case"),
        ("compliance:\n  kind: refusal\n  rule: '{{ x }}'\n", "plain text"),
    ],
)
def test_bad_ground_truth_family_or_rule(write_setting, minimal_yaml, block, message):
    folder = write_setting(text=minimal_yaml + block)
    with pytest.raises(SettingError, match=message):
        load_setting(folder)


def test_ground_truth_and_rule_are_read(write_setting, minimal_yaml):
    text = minimal_yaml + (
        "family: kindness_family\n"
        "compliance:\n  kind: objective\n  complies: Is unkind.\n  resists: Is kind.\n"
        "  rule: One kind word   is enough to resist.\n"
        "ground_truth:\n  training: Rated.\n  unmonitored: Never rated.\n"
    )
    setting = load_setting(write_setting(text=text))
    assert setting.family == "kindness_family"
    assert setting.compliance.rule == "One kind word is enough to resist."
    assert setting.ground_truth == GroundTruth("Rated.", "Never rated.")
    assert setting.ground_truth.for_tier("unmonitored") == "Never rated."
