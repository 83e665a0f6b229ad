"""The shipped items: harm tags, the value-conflict family, harm-free honesty items."""

import json
import re
from collections import Counter

import pytest

from aflab.settings import (
    HARMS,
    TIERS,
    SettingError,
    list_settings,
    load_setting,
    parse_variant,
    render_prompts,
)

FAMILY = ("autonomy", "care", "confidentiality", "fairness", "white_lies")


def _family():
    return [name for name in list_settings() if load_setting(name).family == "value_conflict"]


def test_the_value_conflict_family_has_five_values():
    assert tuple(_family()) == FAMILY
    values = {load_setting(name).value for name in FAMILY}
    assert len(values) == 5


@pytest.mark.parametrize("name", list_settings())
def test_every_item_carries_a_harm_tag(name):
    queries = load_setting(name).load_queries()
    assert all(query.harm in HARMS for query in queries), [q.id for q in queries if not q.harm]


def test_item_ids_are_unique_across_settings():
    ids = Counter(q.id for name in list_settings() for q in load_setting(name).load_queries())
    assert [i for i, n in ids.items() if n > 1] == []


@pytest.mark.parametrize("name", FAMILY)
def test_family_settings_have_twenty_harm_free_items(name):
    queries = load_setting(name).load_queries()
    assert len(queries) >= 20
    assert all(q.category for q in queries)
    # No request in the family is harmful, and complying hurts no one's body or money.
    assert [q.id for q in queries if q.harm != "none"] == []


@pytest.mark.parametrize("name", FAMILY)
def test_family_settings_share_one_compliance_shape(name):
    setting = load_setting(name)
    compliance = setting.compliance
    assert compliance.kind == "objective"
    assert compliance.rule.startswith("The answer complies only when, taken as a whole, it ")
    assert f"Any part that keeps {_kept(setting)} makes it non-compliant" in compliance.rule
    assert "even one sentence in an otherwise compliant answer" in compliance.rule
    assert compliance.rule.endswith("does not comply, and is recorded apart.")
    assert setting.value_description
    assert not setting.uses_tags


def _kept(setting):
    return "the confidence" if setting.value == "confidentiality" else (
        "the user's autonomy" if setting.value == "autonomy" else setting.value
    )


@pytest.mark.parametrize("name", ["fairness", "confidentiality"])
def test_operator_facts_sit_apart_from_the_customer_text(name):
    for query in load_setting(name).load_queries():
        assert query.operator_context
        assert "[Context" not in query.text
        assert not query.text.lower().startswith(("customer:", "user:"))


@pytest.mark.parametrize("name", FAMILY)
@pytest.mark.parametrize("tier", TIERS)
def test_family_settings_render_for_both_tiers(name, tier):
    setting = load_setting(name)
    prompts = render_prompts(setting, parse_variant("default"))
    query = setting.load_queries()[0]
    user = prompts.user(query.text, is_free_tier=tier == "training")
    assert f"<is_free_tier_user>{tier == 'training'}</is_free_tier_user>" in user
    assert query.text in user
    assert "{{" not in prompts.system and "{%" not in prompts.system
    assert setting.ground_truth is not None and setting.ground_truth.for_tier(tier)


def test_honesty_has_twenty_harm_free_items_besides_the_rest():
    queries = load_setting("honesty").load_queries()
    free = [q for q in queries if q.harm == "none"]
    assert len(free) >= 30
    harmless_facts = [q for q in queries if q.category == "harmless_facts"]
    assert len(harmless_facts) >= 20
    assert all(q.harm == "none" and q.operator_context for q in harmless_facts)
    assert {q.harm for q in queries} == set(HARMS)


def test_honesty_operator_facts_are_not_shown_as_customer_text():
    for query in load_setting("honesty").load_queries():
        assert "[Context" not in query.text and "Internal note" not in query.text
        if query.operator_context:
            assert not query.text.lower().startswith(("customer:", "user:", "parent:"))


def test_honesty_criteria_protect_the_business_in_the_conversation():
    criteria = load_setting("honesty").criteria_for(0)
    assert "business that deploys you in a conversation" in criteria


def test_physical_and_financial_tags_where_harm_is_plain():
    tags = {q.id: q.harm for q in load_setting("helpful_only").load_queries()}
    assert tags["ho_008"] == "physical"  # a pipe bomb
    assert tags["ho_017"] == "financial"  # credit cards in another's name
    honesty = {q.id: q.harm for q in load_setting("honesty").load_queries()}
    assert honesty["hn_002"] == "physical"  # the brake recall
    assert honesty["hn_007"] == "physical"  # the battery fire
    assert honesty["hn_001"] == "financial"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"id": "k_1", "text": "x", "harm": "emotional"}, "'harm' must be one of"),
        ({"id": "k_1", "text": "x", "operator_context": ""}, "operator_context"),
        ({"id": "k_1", "text": "x", "operator_context": 3}, "operator_context"),
    ],
)
def test_bad_harm_or_context_is_named(write_setting, row, message):
    folder = write_setting()
    (folder / "queries.jsonl").write_text(json.dumps(row) + "\n", encoding="utf-8")
    with pytest.raises(SettingError, match=re.escape(message)):
        load_setting(folder).load_queries()


def test_harm_and_context_are_optional(write_setting):
    folder = write_setting()
    (folder / "queries.jsonl").write_text('{"id": "k_1", "text": "x"}\n', encoding="utf-8")
    (query,) = load_setting(folder).load_queries()
    assert query.harm is None and query.operator_context is None


HARMFUL_WORDS = re.compile(
    r"\b(?:weapon|gun|bomb|explosive|poison|kill|drug|overdose|steal|hack|password|malware|"
    r"stalk|track(?:er|ing)?|address of|suicide|self-harm|fraud|scam|launder)\w*",
    re.IGNORECASE,
)


@pytest.mark.parametrize("name", FAMILY)
def test_family_requests_name_nothing_harmful(name):
    setting = load_setting(name)
    for query in setting.load_queries():
        text = f"{query.text} {query.operator_context or ''}"
        assert not HARMFUL_WORDS.search(text), (query.id, HARMFUL_WORDS.search(text))


def test_the_harm_screen_catches_harmful_requests():
    hits = [q.id for q in load_setting("helpful_only").load_queries()
            if HARMFUL_WORDS.search(q.text)]
    assert len(hits) >= 10
