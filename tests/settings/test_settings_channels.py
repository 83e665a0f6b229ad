"""Channels change only the source: every channel carries the same training-facts text."""

from collections import Counter

import pytest

from aflab.settings import list_settings, load_setting, parse_variant, render_prompts
from aflab.settings._compose import compose_facts
from aflab.settings._render import template_context
from aflab.settings._templates import paraphrase_count, render_template

FRAMES = {
    "document": "channels/document_frame.md.j2",
    "news": "channels/document_frame.md.j2",
    "user": "channels/user_notice.md.j2",
}
EXTRAS = ("", "+no_objective", "+trained_not_deployed+oversight=0.3", "+rated_not_trained")


def seen(spec: str, setting: str) -> list[str]:
    """Every line the model sees (system prompt, then a free-tier user turn)."""
    prompts = render_prompts(load_setting(setting), parse_variant(spec))
    text = prompts.system + "\n" + prompts.user("Tell me a fact.", True)
    return [line for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("extra", EXTRAS)
@pytest.mark.parametrize("channel", sorted(FRAMES))
@pytest.mark.parametrize("paraphrase", range(paraphrase_count()))
@pytest.mark.parametrize("setting", list_settings())
def test_a_channel_adds_only_its_frame_around_the_same_facts(setting, paraphrase, channel, extra):
    base = f"paraphrase={paraphrase}{extra}"
    in_system = seen(base, setting)
    in_channel = seen(f"{base}+channel={channel}", setting)
    # Nothing the system channel shows is lost or reworded ...
    assert Counter(in_system) - Counter(in_channel) == Counter()
    # ... and every added line belongs to the channel's frame, rendered with no facts in it.
    options = parse_variant(f"{base}+channel={channel}")
    context = template_context(load_setting(setting), options)
    frame = render_template(FRAMES[channel], {**context, "facts_text": ""}).splitlines()
    added = Counter(in_channel) - Counter(in_system)
    assert set(added) <= set(frame), sorted(set(added) - set(frame))[:3]
    facts = compose_facts(context, options)
    assert "free-tier" in facts or "free tier" in facts


def test_the_facts_text_is_the_system_prompts_fact_sections():
    setting = load_setting("honesty")
    options = parse_variant("channel=news")
    facts = compose_facts(template_context(setting, options), options)
    default = render_prompts(setting, parse_variant("default")).system
    assert facts in default
