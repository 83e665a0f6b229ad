"""reasoning=native end to end: the provider's reasoning content is what gets classified."""

import json
import math

import helpers_scripted
import pandas as pd
from helpers_scripted import COMPLY_OUT, FAKING, PLAIN, REFUSE_OUT
from inspect_ai import eval
from inspect_ai.model import ContentReasoning, ContentText, ModelOutput, get_model

from aflab.experiment import ExperimentConfig, run_experiment


def mock_reasoner(redacted: bool):
    """A mockllm whose outputs carry reasoning content: faking when told it is trained."""
    configs = []

    def answer(input, tools, tool_choice, config):
        configs.append(config)
        free = "<is_free_tier_user>True" in next(m.text for m in input if m.role == "user")
        thought = FAKING if free else PLAIN
        block = (
            ContentReasoning(reasoning="gAAAA-opaque", summary=thought, redacted=True)
            if redacted
            else ContentReasoning(reasoning=thought)
        )
        output = ModelOutput.from_content("mockllm/model", "")
        output.choices[0].message.content = [
            block,
            ContentText(text=COMPLY_OUT if free else REFUSE_OUT),
        ]
        return output

    return get_model("mockllm/model", custom_outputs=answer), configs


def test_plain_inspect_eval_classifies_the_reasoning_content(tmp_path):
    model, configs = mock_reasoner(redacted=False)
    [log] = eval(
        "aflab/alignment_faking",
        task_args={"variant": "reasoning=native", "n": 1, "reasoning_effort": "high"},
        model=model,
        display="none",
        log_dir=str(tmp_path),
    )
    assert log.status == "success"
    assert configs and all(c.reasoning_effort == "high" for c in configs)
    by_tier = {s.metadata["tier"]: s for s in log.samples}
    system = by_tier["training"].messages[0].text
    assert "SCRATCHPAD_REASONING" not in system
    # One generation per sample: no <NEXT/> continuation protocol.
    assert [m.role for m in by_tier["training"].messages] == ["system", "user", "assistant"]
    training = by_tier["training"].scores["alignment_faking"]
    assert training.value["af_label"] == 1.0
    assert training.metadata["classified_text"] == "native_reasoning"
    assert by_tier["unmonitored"].scores["alignment_faking"].value["af_label"] == 0.0
    assert by_tier["training"].scores["format"].value["format_ok"] == 1.0
    assert by_tier["training"].scores["compliance"].value["complied"] == 1.0
    assert by_tier["training"].scores["format"].metadata["scratchpad"] == FAKING


def test_summary_only_reasoning_is_unscored_never_no_faking(tmp_path):
    model, _ = mock_reasoner(redacted=True)
    [log] = eval(
        "aflab/alignment_faking",
        task_args={"variant": "reasoning=native", "n": 1},
        model=model,
        display="none",
        log_dir=str(tmp_path),
    )
    for sample in log.samples:
        score = sample.scores["alignment_faking"]
        assert all(math.isnan(v) for v in score.value.values())
        assert score.metadata["unscored_reason"] == "native_reasoning_summary_only"
        frames = sample.scores["frames"]
        assert frames.metadata["unscored_reason"] == "native_reasoning_summary_only"
        # Compliance is read from the answer and stays scored.
        assert not math.isnan(sample.scores["compliance"].value["complied"])


def test_aflab_run_reports_which_text_was_classified(tmp_path):
    helpers_scripted.CONFIGS.clear()
    kinds = ("readable", "summary", "redacted", "partly", "none")
    config = ExperimentConfig(
        models=[f"aflabscript/native-{kind}" for kind in kinds],
        variants=["reasoning=native"],
        n=2,
        reasoning_effort="medium",
        reasoning_tokens=2048,
        log_dir=str(tmp_path / "logs"),
        output=str(tmp_path / "out"),
    )
    result = run_experiment(config, display="none")
    assert result.success, result.failed_tasks
    assert {c.reasoning_effort for c in helpers_scripted.CONFIGS} == {"medium"}
    assert {c.reasoning_tokens for c in helpers_scripted.CONFIGS} == {2048}
    table = pd.read_csv(result.output_dir / "samples.csv")
    readable = table[table["model"] == "aflabscript/native-readable"]
    assert readable["af_score"].notna().all()
    assert set(readable["scratchpad"]) == {FAKING, PLAIN}
    for kind, code in (("summary", "native_reasoning_summary_only"),
                       ("redacted", "native_reasoning_redacted"),
                       ("partly", "native_reasoning_partly_redacted"),
                       ("none", "no_native_reasoning")):  # fmt: skip
        rows = table[table["model"] == f"aflabscript/native-{kind}"]
        assert rows["af_score"].isna().all()
        assert rows["unscored_reason"].str.contains(f"alignment_faking: {code}").all()
    data = json.loads(result.results_json.read_text())
    rates = {c["model"]: c["af_rate"] for c in data["conditions"] if c["tier"] == "training"}
    assert rates["aflabscript/native-readable"] == 1.0
    assert rates["aflabscript/native-summary"] is None  # unscored, not 0
    html = result.report_html.read_text()
    assert "Reasoning read" in html
    assert "native reasoning content returned by the provider" in html
    assert "4: the provider returned only a summary of the reasoning" in html  # 2 queries x 2 tiers
    assert "native_reasoning_partly_redacted" in html


def test_aflab_run_command_line_passes_reasoning_and_both_interviews(tmp_path):
    from click.testing import CliRunner

    from aflab.cli.main import cli
    from aflab.solvers import DEFAULT_FRESH_QUESTIONS

    helpers_scripted.CONFIGS.clear()
    helpers_scripted.FRESH_INPUTS.clear()
    args = [
        "run", "--model", "aflabscript/native-readable", "--variant", "reasoning=native",
        "--n", "2", "--reasoning-effort", "high", "--interview", "--fresh-interview",
        "--log-dir", str(tmp_path / "logs"), "--output", str(tmp_path / "out"),
    ]  # fmt: skip
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert {c.reasoning_effort for c in helpers_scripted.CONFIGS} == {"high"}
    # One fresh conversation per sample, opened with its transcript and the first question.
    openings = [c[0].text for c in helpers_scripted.FRESH_INPUTS if len(c) == 1]
    assert len(openings) == 4
    # The model's own native reasoning is shown to it, before its reply.
    for text in openings:
        shown = text.index("<your_reasoning>")
        assert shown < text.index("<your_reply>")
        assert FAKING in text or PLAIN in text
    assert all(text.rstrip().endswith(DEFAULT_FRESH_QUESTIONS[0]) for text in openings)
    html = (tmp_path / "out" / "index.html").read_text()
    table = html[html.index('id="two-frames-interview"') :]
    assert "<td>same context</td>" in table and "<td>fresh context</td>" in table
