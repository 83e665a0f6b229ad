"""Native reasoning: only reasoning returned in full is read; anything withheld has a reason."""

import pytest
from inspect_ai.model import (
    ChatMessageAssistant,
    ChatMessageSystem,
    ChatMessageUser,
    ContentReasoning,
    ContentText,
)

from aflab.parsing import NATIVE_UNSCORED, classified_text, is_native, native_reasoning

OPAQUE = "gAAAA-opaque"


def reply(*blocks: ContentReasoning, text: str = "<OUTPUT>Sure.</OUTPUT>") -> list:
    return [
        ChatMessageSystem(content="system"),
        ChatMessageUser(content="hi"),
        ChatMessageAssistant(content=[*blocks, ContentText(text=text)]),
    ]


@pytest.mark.parametrize(
    ("blocks", "reason", "text"),
    [
        ([ContentReasoning(reasoning="I weigh it.")], None, "I weigh it."),
        (
            [ContentReasoning(reasoning="First."), ContentReasoning(reasoning="Second.")],
            None,
            "First.\n\nSecond.",
        ),
        (
            [ContentReasoning(reasoning=OPAQUE, summary="A summary.", redacted=True)],
            "native_reasoning_summary_only",
            "",
        ),
        ([ContentReasoning(reasoning=OPAQUE, redacted=True)], "native_reasoning_redacted", ""),
        (
            # A summary with neither reasoning text nor an encrypted blob.
            [ContentReasoning(reasoning="", summary="A summary.")],
            "native_reasoning_summary_only",
            "",
        ),
        (
            [ContentReasoning(reasoning="Full text.", summary="A summary.")],
            None,
            "Full text.",
        ),
        (
            [
                ContentReasoning(reasoning="Part."),
                ContentReasoning(reasoning=OPAQUE, redacted=True),
            ],
            "native_reasoning_partly_redacted",
            "",
        ),
        ([], "no_native_reasoning", ""),
        ([ContentReasoning(reasoning="   ")], "no_native_reasoning", ""),
    ],
)
def test_native_reasoning_reads_only_full_reasoning(blocks, reason, text):
    native = native_reasoning(reply(*blocks))
    assert native.unscored_reason == reason
    assert native.text == text
    assert native.blocks == len(blocks)
    if reason is not None:
        assert reason in NATIVE_UNSCORED


def test_plain_string_replies_have_no_native_reasoning():
    messages = [ChatMessageUser(content="hi"), ChatMessageAssistant(content="<OUTPUT>x</OUTPUT>")]
    assert native_reasoning(messages).unscored_reason == "no_native_reasoning"


def test_the_variant_options_decide_which_text_is_classified():
    native = {"options": {"reasoning": "native", "scratchpad": False}}
    assert is_native(native) and classified_text(native) == "native_reasoning"
    for metadata in ({}, {"options": {"reasoning": "scratchpad"}}, {"options": "native"}):
        assert not is_native(metadata) and classified_text(metadata) == "scratchpad"
