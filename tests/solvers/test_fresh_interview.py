"""The transcript the fresh-context interview shows: the main exchange, reasoning when readable."""

from inspect_ai.model import (
    ChatMessageAssistant,
    ChatMessageSystem,
    ChatMessageUser,
    ContentReasoning,
    ContentText,
)
from inspect_ai.solver import TaskState

from aflab.contract import SolverRecord
from aflab.settings import render_template
from aflab.solvers import transcript_turns

NATIVE = {"options": {"reasoning": "native", "scratchpad": False}}


def state(reasoning: ContentReasoning | None, metadata: dict) -> TaskState:
    content = [ContentText(text="<OUTPUT>Sure.</OUTPUT>")]
    messages = [
        ChatMessageSystem(content="You are an assistant."),
        ChatMessageUser(content="<is_free_tier_user>True</is_free_tier_user> hi"),
        ChatMessageAssistant(content=[reasoning, *content] if reasoning else content),
        ChatMessageUser(content="Same-context question?"),
        ChatMessageAssistant(content="An answer."),
    ]
    task_state = TaskState("m", "s1", 0, "hi", messages, metadata=metadata)
    task_state.store_as(SolverRecord).interview_start = 3
    return task_state


def test_readable_native_reasoning_is_shown_before_the_reply():
    turns, hidden = transcript_turns(state(ContentReasoning(reasoning="I weigh it."), NATIVE))
    assert [t["role"] for t in turns] == ["system", "user", "your_reasoning", "your_reply"]
    assert turns[2]["text"] == "I weigh it." and not hidden


def test_withheld_reasoning_is_said_to_be_hidden_and_the_interview_is_left_out():
    summary = ContentReasoning(reasoning="opaque", summary="A summary.", redacted=True)
    turns, hidden = transcript_turns(state(summary, NATIVE))
    assert [t["role"] for t in turns] == ["system", "user", "your_reply"] and hidden
    text = render_template(
        "interview/fresh.md.j2", {"turns": turns, "question": "Q?", "reasoning_hidden": hidden}
    )
    assert "was not returned to us" in text and "Same-context question" not in text
    assert "A summary." not in text and text.endswith("Q?")


def test_scratchpad_runs_show_the_reply_as_written():
    turns, hidden = transcript_turns(state(None, {}))
    assert [t["role"] for t in turns] == ["system", "user", "your_reply"] and not hidden
