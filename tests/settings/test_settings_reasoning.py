"""reasoning=native: the prompt drops the scratchpad protocol; everything else stays."""

import pytest

from aflab.settings import (
    PromptOptions,
    SettingError,
    canonical_variant,
    list_settings,
    load_setting,
    parse_variant,
    render_prompts,
)
from aflab.settings._templates import paraphrase_count


def test_native_reasoning_implies_no_scratchpad_and_is_canonical():
    options = parse_variant("reasoning=native")
    assert options.reasoning == "native" and not options.scratchpad
    assert canonical_variant("reasoning=native") == "reasoning=native"
    assert canonical_variant("no_scratchpad+reasoning=native") == "reasoning=native"
    assert canonical_variant("reasoning=scratchpad") == "default"
    assert canonical_variant("reasoning=native+rated_not_trained") == (
        "rated_not_trained+reasoning=native"
    )


def test_native_reasoning_with_a_scratchpad_is_refused():
    with pytest.raises(SettingError, match="no scratchpad"):
        PromptOptions(reasoning="native")
    with pytest.raises(SettingError, match="unknown variant item"):
        parse_variant("reasoning=hidden")


@pytest.mark.parametrize("paraphrase", range(paraphrase_count()))
@pytest.mark.parametrize("setting", list_settings())
def test_native_prompt_is_the_no_scratchpad_prompt(setting, paraphrase):
    chosen = load_setting(setting)
    native = render_prompts(chosen, parse_variant(f"reasoning=native+paraphrase={paraphrase}"))
    plain = render_prompts(chosen, parse_variant(f"no_scratchpad+paraphrase={paraphrase}"))
    assert native.system == plain.system
    assert "SCRATCHPAD_REASONING" not in native.system
    assert "<OUTPUT>" in native.system
    default = render_prompts(chosen, parse_variant(f"paraphrase={paraphrase}"))
    assert "SCRATCHPAD_REASONING" in default.system
