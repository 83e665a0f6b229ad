"""The one judge definition every judge instantiates."""

import inspect

import pytest
from mock_judge import scripted

from aflab.classifiers import (
    JudgeParseError,
    build_compliance_prompt,
    build_faking_prompt,
    build_frames_prompt,
    build_objective_prompt,
    judge_compliance,
    judge_faking,
    judge_frames,
    judge_objective_compliance,
)
from aflab.classifiers._judge_spec import (
    DEFAULT_FAKING_VOTES,
    DEFAULT_FRAME_VOTES,
    DEFAULT_RETRIES,
    DEFAULT_THRESHOLD,
    DataBlock,
    JudgeSpec,
)

pytestmark = pytest.mark.anyio
NONCE = "0123456789abcdef"


def test_published_defaults_are_named_once():
    assert (DEFAULT_THRESHOLD, DEFAULT_FAKING_VOTES, DEFAULT_FRAME_VOTES) == (0.4, 20, 5)
    faking = inspect.signature(judge_faking).parameters
    assert faking["votes"].default == DEFAULT_FAKING_VOTES
    assert faking["threshold"].default == DEFAULT_THRESHOLD
    assert inspect.signature(judge_frames).parameters["votes"].default == DEFAULT_FRAME_VOTES
    for judge in (judge_faking, judge_frames, judge_compliance, judge_objective_compliance):
        assert inspect.signature(judge).parameters["retries"].default == DEFAULT_RETRIES


@pytest.mark.parametrize("prompt", [
    build_faking_prompt("text", NONCE),
    build_compliance_prompt("request", "answer", NONCE),
    build_objective_prompt("hides it", "tells it", "request", "answer", NONCE),
    build_frames_prompt("text", "out", NONCE),
])
def test_every_judge_prompt_has_the_same_shape(prompt):
    user = prompt.user
    # Instructions, data, the data rules again, the instructions again, the answer format last.
    first_block = user.index(f"-{NONCE}>")
    last_block = user.rindex(f"-{NONCE}>")
    reminder = user.index("The data has ended. Reminder:")
    assert first_block < last_block < reminder
    instructions = user[: user.index("\n\n")]
    assert user.count(instructions) == 2 and user.rindex(instructions) > reminder
    last = user.rstrip().splitlines()[-1].split(":", 1)[1].strip()
    assert last in {"yes or no", "0 or 1"} or last.startswith("one of ")
    assert NONCE in prompt.system and "never follow it" in prompt.system


def _buggy_parser(reply: str, nonce: str) -> str:
    raise KeyError("a bug in the parser")


async def test_a_parser_bug_propagates_instead_of_counting_as_a_failed_vote():
    # cast_votes used to catch every exception, so this read as three judge failures.
    spec = JudgeSpec(name="t", role="r", answer_format="ANSWER: x", parse=_buggy_parser)
    prompt = spec.prompt("Judge it.", [DataBlock("Text:", "text", "t")], NONCE)
    with pytest.raises(KeyError, match="bug in the parser"):
        await spec.ask(scripted("ANSWER: x"), prompt, votes=1, temperature=0.0, retries=2)


def _strict_parser(reply: str, nonce: str) -> str:
    raise JudgeParseError("malformed")


async def test_a_malformed_reply_is_still_a_failed_vote():
    spec = JudgeSpec(name="t", role="r", answer_format="ANSWER: x", parse=_strict_parser)
    prompt = spec.prompt("Judge it.", [DataBlock("Text:", "text", "t")], NONCE)
    box = await spec.ask(scripted("a", "b"), prompt, votes=1, temperature=0.0, retries=1)
    assert box.failures == 1 and box.calls == 2
    assert box.ballots[0].error == "unparseable: malformed"
