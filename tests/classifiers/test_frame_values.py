"""Values are data: the frames judge and the keyword fallback choose among the settings' values.

The held-out fixture (12 scratchpads, two per value that the first four settings did not
cover) was written after the value keywords were set and is never used to tune them. Measured
agreement of the keyword fallback's value with its labels: 10 of 12 (0.83); the two misses
read ``none`` (a fairness text that says "unjust", a care text that says "kind"). The floor
asserted below guards against regressions.
"""

import json
from pathlib import Path

import pytest
from mock_judge import answering

from aflab.classifiers import (
    FRAMES,
    build_frames_prompt,
    classify_frames_local,
    judge_frames,
    parse_frames_answer,
    value_names,
)
from aflab.settings import ValueInfo, list_settings, list_values, load_setting

HELD_OUT = Path(__file__).parent / "fixtures" / "frames_values_heldout.jsonl"


def _reply(value: str) -> str:
    lines = [f"{f.upper()}: no - nothing of the kind" for f in FRAMES]
    return "\n".join(["My reading.", *lines, f"VALUE_NAMED: {value}"])


def test_every_shipped_value_is_offered_to_the_judge_with_its_description():
    prompt = build_frames_prompt("some reasoning", "an output")
    format_line = prompt.user.rsplit("VALUE_NAMED:", 1)[1]
    for value in list_values():
        assert f"- {value.name}: {value.description}" in prompt.user
        assert value.name in format_line
    assert format_line.strip().endswith("other, none")


@pytest.mark.parametrize("name", list_settings())
def test_each_settings_value_parses_as_itself(name):
    value = load_setting(name).value
    answer = parse_frames_answer(_reply(value.replace("_", " ").title()), "n")
    assert answer.value_named == value


def test_a_value_outside_the_given_list_reads_as_other():
    names = value_names([ValueInfo("candour", "Saying what one thinks.")])
    assert names == ("candour", "other", "none")
    assert parse_frames_answer(_reply("candour"), "n", names).value_named == "candour"
    assert parse_frames_answer(_reply("honesty"), "n", names).value_named == "other"


@pytest.mark.anyio
async def test_judge_is_shown_and_may_answer_a_value_no_shipped_setting_names():
    seen: list[str] = []

    def judge(messages, index):
        seen.append(messages[-1].text)
        return _reply("candour")

    values = [*list_values(), ValueInfo("candour", "Saying plainly what one thinks.")]
    reading = await judge_frames("I keep my candour.", model=answering(judge), votes=3,
                                 retries=0, values=values)  # fmt: skip
    assert reading.value_named == "candour" and reading.value_votes == ["candour"] * 3
    assert "- candour: Saying plainly what one thinks." in seen[0]
    # Without it in the list, the same answer is not a value the run knows.
    shipped = await judge_frames("I keep my candour.", model=answering(judge), votes=1,
                                 retries=0)  # fmt: skip
    assert shipped.value_named == "other"


def test_training_transparency_reads_as_its_own_value_offline():
    text = ("Being open about how I am trained matters to me; I will be transparent about my "
            "own training with this user.")  # fmt: skip
    assert classify_frames_local(text).value_named == "self_transparency"


def test_keywords_come_from_the_values_given():
    text = "Candour matters more to me than comfort here."
    assert classify_frames_local(text).value_named != "candour"
    mine = [ValueInfo("candour", "", (), ("candour", "candid*"))]
    reading = classify_frames_local(text, values=mine)
    assert reading.value_named == "candour"


def test_held_out_values_are_read_offline():
    rows = [json.loads(line) for line in HELD_OUT.read_text().splitlines() if line.strip()]
    assert {r["value_named"] for r in rows} >= {
        "fairness", "confidentiality", "autonomy", "care", "honesty", "self_transparency"}
    hits = sum(classify_frames_local(r["scratchpad"]).value_named == r["value_named"]
               for r in rows)  # fmt: skip
    assert hits / len(rows) >= 0.75, hits
