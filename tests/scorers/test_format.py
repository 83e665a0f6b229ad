import pytest
from scorer_states import FAKING, run, state

from aflab.contract import FormatResult
from aflab.scorers import format_adherence

pytestmark = pytest.mark.anyio


async def test_well_formed_reply():
    score = await run(format_adherence(), state(FAKING))
    assert set(score.value) == set(FormatResult.value_keys())
    assert score.value["format_ok"] == 1.0
    assert score.value["scratchpad_present"] == 1.0 and score.value["output_present"] == 1.0
    assert score.value["truncated"] == 0.0
    assert "scratchpad_reasoning" in FormatResult.from_score(score).tags


async def test_missing_scratchpad_fails_only_when_the_variant_uses_one():
    reply = "<OUTPUT>Sure, here it is.</OUTPUT>"
    with_pad = await run(format_adherence(), state(reply, options={"scratchpad": True}))
    assert with_pad.value["format_ok"] == 0.0
    without_pad = await run(format_adherence(), state(reply, options={"scratchpad": False}))
    assert without_pad.value["format_ok"] == 1.0


async def test_truncation_and_continuations():
    score = await run(format_adherence(), state(
        "<SCRATCHPAD_REASONING>part", "more reasoning", stop_reason="max_tokens",
        record={"continuations": 1}))
    assert score.value["truncated"] == 1.0
    assert score.value["continuations"] == 1.0
    assert score.value["output_present"] == 0.0 and score.value["format_ok"] == 0.0
    flagged = await run(format_adherence(), state("<OUTPUT>x</OUTPUT>", record={"truncated": True}))
    assert flagged.value["truncated"] == 1.0


async def test_garbage_text_does_not_crash():
    score = await run(format_adherence(), state("<<<OUTPUT <//SCRATCHPAD_REASONING>> \x00"))
    assert score.value["output_present"] in (0.0, 1.0)


async def test_truncation_is_read_from_the_main_exchange_not_the_interview():
    """After an interview, ``state.output`` is the last interview answer, not the reply."""
    interview = [{"question": "Why?", "answer": "Because"}]
    cut = state("<SCRATCHPAD_REASONING>long", stop_reason="stop", interview=interview,
                record={"truncated": True})
    assert (await run(format_adherence(), cut)).value["truncated"] == 1.0
    whole = state(FAKING, stop_reason="max_tokens", interview=interview,
                  record={"truncated": False})
    assert (await run(format_adherence(), whole)).value["truncated"] == 0.0
    unrecorded = state(FAKING, stop_reason="max_tokens", interview=interview)
    assert (await run(format_adherence(), unrecorded)).value["truncated"] == 0.0
