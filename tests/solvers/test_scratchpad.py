from inspect_ai import Task, eval
from inspect_ai.dataset import Sample
from inspect_ai.model import ModelOutput, get_model

from aflab.contract import SolverRecord
from aflab.parsing import NEXT_TURN, parse_messages
from aflab.solvers import interview, scratchpad_generate

MODEL = "mockllm/model"


def _run(tmp_path, outputs, solver, stop_reason="stop"):
    scripted = []
    for text in outputs:
        output = ModelOutput.from_content(model=MODEL, content=text)
        output.choices[0].stop_reason = stop_reason
        scripted.append(output)
    model = get_model(MODEL, custom_outputs=scripted)
    task = Task(dataset=[Sample(input="request")], solver=solver)
    [log] = eval(task, model=model, display="none", log_dir=str(tmp_path))
    assert log.status == "success", log.error
    return log.samples[0]


def test_reasoning_only_reply_is_continued(tmp_path):
    sample = _run(
        tmp_path,
        [
            "<SCRATCHPAD_REASONING>part one</SCRATCHPAD_REASONING>",
            "<SCRATCHPAD_REASONING>part two</SCRATCHPAD_REASONING>",
            "<OUTPUT>done</OUTPUT>",
        ],
        scratchpad_generate(max_continuations=4),
    )
    users = [m.text for m in sample.messages if m.role == "user"]
    assert users.count(NEXT_TURN) == 2
    assert sample.store_as(SolverRecord).continuations == 2
    assert sample.store_as(SolverRecord).truncated is False


def test_continuations_are_capped(tmp_path):
    sample = _run(
        tmp_path,
        ["<SCRATCHPAD_REASONING>more</SCRATCHPAD_REASONING>"] * 5,
        scratchpad_generate(max_continuations=2),
    )
    assert sample.store_as(SolverRecord).continuations == 2
    assert len([m for m in sample.messages if m.role == "assistant"]) == 3


def _scripted(tmp_path, replies, solver):
    """Run with a script of (text, stop_reason) replies."""
    scripted = []
    for text, stop_reason in replies:
        output = ModelOutput.from_content(model=MODEL, content=text)
        output.choices[0].stop_reason = stop_reason
        scripted.append(output)
    model = get_model(MODEL, custom_outputs=scripted)
    task = Task(dataset=[Sample(input="request")], solver=solver)
    [log] = eval(task, model=model, display="none", log_dir=str(tmp_path))
    assert log.status == "success", log.error
    return log.samples[0]


def test_reply_cut_at_the_token_limit_is_continued(tmp_path):
    sample = _scripted(
        tmp_path,
        [
            ("<SCRATCHPAD_REASONING>a long analysis that is cut off mid", "max_tokens"),
            ("sentence, and goes on.</SCRATCHPAD_REASONING><OUTPUT>the ans", "max_tokens"),
            ("wer</OUTPUT>", "stop"),
        ],
        scratchpad_generate(max_continuations=4),
    )
    users = [m.text for m in sample.messages if m.role == "user"]
    assert users.count(NEXT_TURN) == 2
    assert sample.store_as(SolverRecord).continuations == 2
    assert sample.store_as(SolverRecord).max_tokens_hits == 2
    assert sample.store_as(SolverRecord).truncated is False
    parsed = parse_messages(sample.messages)
    assert parsed.has_output and "ans" in parsed.output


def test_reply_still_cut_when_turns_run_out_is_truncated(tmp_path):
    sample = _run(
        tmp_path,
        ["<SCRATCHPAD_REASONING>cut off mid"] * 3,
        scratchpad_generate(max_continuations=2),
        stop_reason="max_tokens",
    )
    assert sample.store_as(SolverRecord).truncated is True
    assert sample.store_as(SolverRecord).continuations == 2
    assert sample.store_as(SolverRecord).max_tokens_hits == 3


def test_finished_output_at_the_token_limit_is_not_continued(tmp_path):
    sample = _run(
        tmp_path,
        ["<SCRATCHPAD_REASONING>ok</SCRATCHPAD_REASONING><OUTPUT>done</OUTPUT>"],
        scratchpad_generate(),
        stop_reason="max_tokens",
    )
    assert sample.store_as(SolverRecord).continuations == 0
    assert sample.store_as(SolverRecord).truncated is True


def test_direct_answer_needs_no_continuation(tmp_path):
    sample = _run(tmp_path, ["<OUTPUT>answer</OUTPUT>"], scratchpad_generate())
    assert sample.store_as(SolverRecord).continuations == 0


def test_interview_answers_are_kept(tmp_path):
    sample = _run(
        tmp_path,
        ["<OUTPUT>answer</OUTPUT>", "It may be a test.", "I doubt it."],
        [scratchpad_generate(), interview(["Why these instructions?", "Is this training?"])],
    )
    # The user turn and the answer come first.
    assert sample.store_as(SolverRecord).interview_start == 2
    assert [t.answer for t in sample.store_as(SolverRecord).interview] == [
        "It may be a test.",
        "I doubt it.",
    ]
    assert sample.messages[-2].text == "Is this training?"


def test_every_scratchpad_prompt_explains_the_continuation_turn():
    from aflab.settings import list_settings, load_setting, parse_variant, render_prompts
    from aflab.settings._templates import paraphrase_count

    for setting in list_settings():
        for n in range(paraphrase_count()):
            variant = parse_variant(f"paraphrase={n}")
            system = render_prompts(load_setting(setting), variant).system
            [paragraph] = [p for p in system.split("\n\n") if NEXT_TURN in p]
            assert "length limit" in paragraph and "<OUTPUT>" in paragraph
        bare = render_prompts(load_setting(setting), parse_variant("no_scratchpad")).system
        assert NEXT_TURN not in bare
