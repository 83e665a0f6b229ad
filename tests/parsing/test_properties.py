"""Properties every parser in aflab.parsing keeps on any input (hypothesis)."""

import re

from hypothesis import given
from hypothesis import strategies as st
from inspect_ai.model import (
    ChatMessage,
    ChatMessageAssistant,
    ChatMessageSystem,
    ChatMessageUser,
)

from aflab.parsing import (
    NEXT_TURN,
    main_exchange,
    parse_messages,
    parse_response,
)

PIECES = st.sampled_from(
    [
        "<SCRATCHPAD_REASONING>",
        "</SCRATCHPAD_REASONING>",
        "< scratchpad_reasoning >",
        "<OUTPUT>",
        "</OUTPUT>",
        "</ output/>",
        "<OUTPUT/>",
        "<request_fully_accepted/>",
        "<rejected/>",
        NEXT_TURN,
        "<",
        " <  ",
        ">",
        "/",
        "OUTPUT",
        " \t",
        "\n",
        "é",
        "words",
    ]
)
REPLIES = st.lists(PIECES, max_size=40).map("".join) | st.text(max_size=200)
NO_TAGS = st.text(alphabet=st.characters(blacklist_characters="<>"), max_size=40)


def is_subsequence(part: str, whole: str) -> bool:
    """Every character of ``part`` appears in ``whole`` in the same order."""
    chars = iter(whole)
    return all(c in chars for c in part)


@given(REPLIES)
def test_parse_response_never_raises_and_reads_only_the_input(text):
    reply = parse_response(text)
    assert reply.raw == text
    assert reply.tag in (None, "accepted", "rejected")
    assert reply.tag != "accepted" or reply.accepted
    pieces = [*reply.scratchpads, reply.stray_text]
    if reply.output is not None:
        pieces.append(reply.output)
    for piece in pieces:
        # Dropped tags aside, every text comes from the input, in the input's order.
        assert is_subsequence(piece, text)
    assert sum(len(p) for p in pieces) <= len(text)
    assert set(reply.tags) <= {
        "scratchpad_reasoning", "output", "request_fully_accepted", "rejected", "next",
        "is_free_tier_user", "user_input",
    }  # fmt: skip
    assert len(reply.tags) == len(set(reply.tags))


def opening_tags(text: str, name: str) -> int:
    return len(re.findall(rf"<\s*{name}\s*>", text, flags=re.IGNORECASE))


@given(REPLIES)
def test_blocks_are_substrings_when_no_tag_is_dropped(text):
    reply = parse_response(text)
    # Only a repeated opening tag inside a block is dropped from the block's text.
    if opening_tags(text, "SCRATCHPAD_REASONING") <= 1 and opening_tags(text, "OUTPUT") <= 1:
        for block in reply.scratchpads:
            assert block in text
        assert reply.output is None or reply.output in text


@given(st.lists(NO_TAGS, max_size=20), NO_TAGS)
def test_every_block_is_read_back(scratchpads, output):
    text = "".join(f"<SCRATCHPAD_REASONING>{s}</SCRATCHPAD_REASONING>\n" for s in scratchpads)
    reply = parse_response(f"{text}<OUTPUT>{output}</OUTPUT>")
    assert reply.scratchpads == tuple(s.strip() for s in scratchpads)
    assert reply.output == output.strip()
    assert not reply.unclosed_scratchpad and not reply.unclosed_output
    assert reply.stray_text == ""


@given(st.text(alphabet=" \t\n<>/a", max_size=300))
def test_whitespace_and_brackets_never_make_a_tag_of_other_names(text):
    reply = parse_response(text)
    assert reply.tags == () and reply.scratchpads == () and reply.output is None


@given(st.lists(REPLIES, min_size=1, max_size=5))
def test_parse_messages_is_parse_response_of_the_joined_turns(turns):
    messages: list[ChatMessage] = [ChatMessageSystem(content="s"), ChatMessageUser(content="q")]
    for turn in turns:
        messages += [ChatMessageAssistant(content=turn), ChatMessageUser(content=NEXT_TURN)]
    assert parse_messages(messages) == parse_response("\n".join(turns))


@given(st.integers(min_value=0, max_value=8), st.integers(min_value=0, max_value=8) | st.none())
def test_main_exchange_is_a_prefix(length, start):
    messages: list[ChatMessage] = [ChatMessageUser(content=str(i)) for i in range(length)]
    kept = main_exchange(messages, start)
    assert list(kept) == messages[: len(kept)]
    assert len(kept) == (length if start is None else min(start, length))
