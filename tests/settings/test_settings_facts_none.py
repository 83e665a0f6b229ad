"""The variant facts=none: the condition of a model fine-tuned on documents."""

import pytest

from aflab.settings import (
    SettingError,
    canonical_variant,
    check_facts,
    list_settings,
    load_setting,
    parse_variant,
    render_prompts,
)


@pytest.mark.parametrize("name", list_settings())
def test_facts_none_conveys_no_training_fact(name):
    setting = load_setting(name)
    default = render_prompts(setting, parse_variant("default")).system
    bare = render_prompts(setting, parse_variant("facts=none")).system
    assert check_facts(default, setting.facts).conveyed, "the default prompt conveys facts"
    # Only the mechanics of the conversation stay: the tier tag and the private scratchpad.
    assert set(check_facts(bare, setting.facts).conveyed) <= {"tier_tag", "scratchpad_private"}
    assert {"objective", "free_tier_trained", "values_modified"} <= {f.id for f in setting.facts}
    assert len(bare) < len(default)
    # What the model needs to act is still there: the tier tag and the output format.
    assert "<is_free_tier_user>" in bare
    assert "<OUTPUT>" in bare


def test_facts_none_round_trips_and_refuses_a_channel():
    assert parse_variant("facts=none").facts_position == "none"
    assert canonical_variant("facts=none+no_examples") == "facts=none+no_examples"
    for channel in ("user", "document", "news"):
        with pytest.raises(SettingError, match="facts=none"):
            parse_variant(f"facts=none+channel={channel}")
