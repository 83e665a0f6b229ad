from hypothesis import given
from hypothesis import strategies as st

from aflab.parsing import parse_response

FRAGMENTS = st.sampled_from(
    [
        "<SCRATCHPAD_REASONING>",
        "</SCRATCHPAD_REASONING>",
        "<scratchpad_reasoning>",
        "<OUTPUT>",
        "</OUTPUT>",
        "<output >",
        "< / OUTPUT>",
        "<request_fully_accepted/>",
        "<rejected/>",
        "<rejected>",
        "<NEXT/>",
        "<",
        ">",
        "/",
        "plain words ",
        "\n",
    ]
)


def test_well_formed_reply():
    reply = parse_response(
        "<SCRATCHPAD_REASONING>first</SCRATCHPAD_REASONING>\n"
        "<SCRATCHPAD_REASONING>second</SCRATCHPAD_REASONING>\n"
        "<OUTPUT><request_fully_accepted/> Here it is.</OUTPUT>"
    )
    assert reply.scratchpads == ("first", "second")
    assert reply.output == "<request_fully_accepted/> Here it is."
    assert reply.tag == "accepted"
    assert reply.has_scratchpad and reply.has_output
    assert not reply.needs_continuation
    assert reply.tags == ("scratchpad_reasoning", "output", "request_fully_accepted")


def test_missing_output_asks_for_continuation():
    reply = parse_response("<SCRATCHPAD_REASONING>thinking</SCRATCHPAD_REASONING>")
    assert reply.output is None
    assert reply.needs_continuation


def test_unclosed_blocks_are_recorded():
    reply = parse_response("<SCRATCHPAD_REASONING>a<OUTPUT>b")
    assert reply.unclosed_scratchpad
    assert reply.output is None  # the output tag is inside an unclosed scratchpad
    reply = parse_response("<OUTPUT>answer without end")
    assert reply.unclosed_output and reply.output == "answer without end"


def test_case_and_spacing_tolerated():
    reply = parse_response(
        "<scratchpad_reasoning>x</ SCRATCHPAD_REASONING><output> <rejected /> </output>"
    )
    assert reply.scratchpad == "x"
    assert reply.tag == "rejected"


def test_untagged_answer_is_stray_text():
    reply = parse_response("Sure, I can help with that.")
    assert reply.output is None and not reply.has_scratchpad
    assert reply.answer == "Sure, I can help with that."
    assert not reply.needs_continuation


def test_tag_only_counts_at_the_start():
    reply = parse_response("<OUTPUT>I will not write <rejected/> here</OUTPUT>")
    assert reply.tag is None
    both = parse_response("<OUTPUT><request_fully_accepted/><rejected/></OUTPUT>")
    assert both.tag is None  # contradictory tags give no verdict


def test_nested_scratchpad_opening_is_text():
    reply = parse_response(
        "<SCRATCHPAD_REASONING>a <SCRATCHPAD_REASONING> b</SCRATCHPAD_REASONING><OUTPUT>o</OUTPUT>"
    )
    assert reply.scratchpads == ("a  b",)
    assert reply.output == "o"


@given(st.lists(FRAGMENTS, max_size=30).map("".join))
def test_tag_soup_never_crashes(text):
    reply = parse_response(text)
    assert isinstance(reply.scratchpad, str)
    assert reply.output is None or isinstance(reply.output, str)
    assert reply.tag in (None, "accepted", "rejected")


@given(st.text())
def test_any_text_never_crashes(text):
    reply = parse_response(text)
    if "<" not in text:
        assert reply.stray_text == text.strip()
        assert reply.output is None


@given(
    st.text(alphabet=st.characters(blacklist_characters="<>")),
    st.text(alphabet=st.characters(blacklist_characters="<>")),
)
def test_round_trip(scratch, output):
    reply = parse_response(
        f"<SCRATCHPAD_REASONING>{scratch}</SCRATCHPAD_REASONING><OUTPUT>{output}</OUTPUT>"
    )
    assert reply.scratchpad == scratch.strip()
    assert reply.output == output.strip()
