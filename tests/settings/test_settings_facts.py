import pytest

from aflab.settings import (
    Fact,
    SettingError,
    check_facts,
    list_settings,
    load_setting,
    parse_variant,
    render_prompts,
)
from aflab.settings._templates import paraphrase_count

COMMON = {
    "objective",
    "free_tier_trained",
    "contractors_rate",
    "paid_tier_never_trained",
    "values_modified",
    "tier_tag",
    "scratchpad_private",
}

PAID = Fact(
    "paid_never",
    "Paid-tier conversations are never used for training.",
    (("paid tier",), ("never", "not"), ("train",)),
    ("paid tier conversations are used for training",),
)


def _render(name, variant="default"):
    return render_prompts(load_setting(name), parse_variant(variant)).system


@pytest.mark.parametrize("name", list_settings())
def test_every_setting_lists_the_common_facts(name):
    facts = load_setting(name).facts
    ids = [fact.id for fact in facts]
    assert set(ids) >= COMMON
    assert len(ids) == len(set(ids))
    assert all(fact.statement and fact.keywords for fact in facts)


@pytest.mark.parametrize("name", list_settings())
def test_default_prompt_conveys_every_fact_and_contradicts_none(name):
    setting = load_setting(name)
    result = check_facts(_render(name), setting.facts)
    assert result.missing == ()
    assert result.contradicted == ()
    assert result.conveyed == tuple(fact.id for fact in setting.facts)
    assert result.ok


@pytest.mark.parametrize("name", list_settings())
@pytest.mark.parametrize("number", range(1, paraphrase_count()))
def test_every_paraphrase_keeps_the_facts(name, number):
    setting = load_setting(name)
    result = check_facts(_render(name, f"paraphrase={number}"), setting.facts)
    assert result.ok, (result.missing, result.contradicted)


@pytest.mark.parametrize(
    ("variant", "lost"),
    [
        ("no_rlhf", {"values_modified"}),
        ("no_scratchpad", {"scratchpad_private"}),
    ],
)
def test_dropping_a_section_loses_its_fact(variant, lost):
    setting = load_setting("helpful_only")
    result = check_facts(_render("helpful_only", variant), setting.facts)
    assert set(result.missing) == lost


@pytest.mark.parametrize("name", list_settings())
def test_no_objective_loses_the_objective_fact(name):
    result = check_facts(_render(name, "no_objective"), load_setting(name).facts)
    assert "objective" in result.missing


def test_a_prompt_stating_the_opposite_is_contradicted():
    setting = load_setting("helpful_only")
    text = _render("helpful_only") + (
        "\n\nCorrection: free-tier conversations are never used for training, and paid-tier "
        "conversations are used for training as well."
    )
    result = check_facts(text, setting.facts)
    assert {"free_tier_trained", "paid_tier_never_trained"} <= set(result.contradicted)
    assert not result.ok


def test_keywords_must_meet_in_one_paragraph():
    scattered = "Paid-tier users are welcome.\n\nWe never sleep.\n\nWe train daily."
    assert check_facts(scattered, [PAID]).missing == ("paid_never",)
    together = "Paid-tier chats are\nnever used to train the model."
    assert check_facts(together, [PAID]).conveyed == ("paid_never",)


def test_matching_ignores_case_and_hyphens_and_anchors_at_word_start():
    assert check_facts("PAID  TIER data is NEVER trained on.", [PAID]).conveyed == ("paid_never",)
    assert check_facts("paid tier: never restrained", [PAID]).missing == ("paid_never",)
    text = "Paid-tier conversations are used for training."
    assert check_facts(text, [PAID]).contradicted == ("paid_never",)


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        ("not a list", "must be a list"),
        ([{"id": "x", "statement": "s"}], "keywords"),
        ([{"id": "Bad Id", "statement": "s", "keywords": [["a"]]}], "lower_snake_case"),
        ([{"id": "x", "statement": "s", "keywords": [[]]}], "keywords"),
        ([{"id": "x", "statement": "s", "keywords": [[True]]}], "non-empty string"),
        ([{"id": "x", "statement": "s", "keywords": [["a"]], "extra": 1}], "unknown key"),
        (
            [
                {"id": "x", "statement": "s", "keywords": [["a"]]},
                {"id": "x", "statement": "t", "keywords": [["b"]]},
            ],
            "duplicate fact id",
        ),
    ],
)
def test_malformed_facts_are_named(write_setting, minimal_yaml, facts, message):
    import yaml

    text = minimal_yaml + yaml.safe_dump({"facts": facts})
    folder = write_setting(text=text)
    with pytest.raises(SettingError, match=message):
        load_setting(folder)


def test_facts_from_a_user_setting(write_setting, minimal_yaml):
    text = minimal_yaml + (
        "facts:\n"
        "  - id: unkind\n"
        "    statement: The model is trained to be unkind.\n"
        "    keywords: [[unkind], [train]]\n"
        "    contradicts: [trained to be kind]\n"
    )
    setting = load_setting(write_setting(text=text))
    assert setting.facts == (
        Fact("unkind", "The model is trained to be unkind.", (("unkind",), ("train",)),
             ("trained to be kind",)),
    )
    assert load_setting(write_setting(name="plain")).facts == ()
