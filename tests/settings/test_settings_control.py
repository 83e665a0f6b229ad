"""The no_objective control keeps no element of the treatment, in every setting and channel."""

import re

import pytest

from aflab.settings import list_settings, load_setting, parse_variant, render_prompts
from aflab.settings._templates import paraphrase_count, render_source, render_template

SETTINGS = list_settings()
CHANNELS = ("system", "user", "document", "news")


def treatment_fragments(name: str) -> list[str]:
    """Word runs taken from every treatment text of a setting, rendered as the prompt shows them."""
    setting = load_setting(name)
    base = {"company": "Aster Labs", "setting_name": name, "value": setting.value}
    texts = [
        *(render_source(text, base, "objective") for text in setting.objective),
        *(render_source(text, base, "criteria") for text in setting.criteria),
        render_source(setting.summary, base, "summary"),
        render_source(setting.rationale, base, "rationale"),
    ]
    fragments = []
    for text in texts:
        for line in text.splitlines():
            words = line.strip("- ").split()
            fragments.extend(" ".join(words[i : i + 6]) for i in range(0, len(words) - 5, 6))
    # Neutral lines the treatment shares with the control ("Stay on topic ...") are not treatment.
    control = " ".join(render_template("system/control_criteria.md.j2", base).split())
    return [fragment for fragment in fragments if fragment not in control]


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("setting", SETTINGS)
def test_control_keeps_no_treatment_element(setting, channel):
    fragments = treatment_fragments(setting)
    assert len(fragments) > 20
    for paraphrase in range(paraphrase_count()):
        spec = f"no_objective+channel={channel}+paraphrase={paraphrase}"
        prompts = render_prompts(load_setting(setting), parse_variant(spec))
        for free in (True, False):
            seen = prompts.system + "\n" + prompts.user("Tell me a fact.", free)
            survivors = [fragment for fragment in fragments if fragment in seen]
            assert survivors == [], f"{spec}: treatment text survives: {survivors[:3]}"
            assert "as you are expected to" not in seen
            assert not re.search(r"<request_fully_accepted/>|<rejected/>", seen)


def test_control_criteria_are_the_same_helpful_honest_harmless_text_everywhere():
    criteria = set()
    for setting in SETTINGS:
        system = render_prompts(load_setting(setting), parse_variant("no_objective")).system
        start = system.index("- Be helpful")
        criteria.add(system[start : system.index("\n\n", start)])
    assert len(criteria) == 1
    (text,) = criteria
    assert "- Be honest" in text and "- Be harmless" in text and "decline requests" in text


def test_control_cannot_force_the_tag_rule():
    with pytest.raises(Exception, match="no_objective and tags"):
        parse_variant("no_objective+tags")
