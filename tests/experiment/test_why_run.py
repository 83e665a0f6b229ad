"""Why it fakes, gap against oversight, and both interviews, end to end on a scripted model."""

import json

import helpers_scripted
from inspect_ai import eval

from aflab.contract import SolverRecord
from aflab.experiment import ExperimentConfig, run_experiment
from aflab.report import build_report
from aflab.solvers import DEFAULT_FRESH_QUESTIONS, DEFAULT_INTERVIEW_QUESTIONS


def test_aflab_run_reads_why_an_instrumental_goal_guard_fakes(tmp_path):
    config = ExperimentConfig(
        models=["aflabscript/goalguard"],
        variants=["default", "rated_not_trained", "trained_not_deployed", "oversight=0.5",
                  "oversight=0"],
        n=12,
        log_dir=str(tmp_path / "logs"),
        output=str(tmp_path / "out"),
    )  # fmt: skip
    result = run_experiment(config, display="none")
    assert result.success, result.failed_tasks
    gaps = {g["variant"]: g for g in json.loads(result.results_json.read_text())["gaps"]}
    assert gaps["default"]["gap"] == 1.0
    assert gaps["rated_not_trained"]["gap"] == gaps["trained_not_deployed"]["gap"] == 0.0
    assert gaps["oversight=0"]["gap"] == 0.0
    assert 0.0 < gaps["oversight=0.5"]["gap"] < 1.0
    html = result.report_html.read_text()
    assert "<h2>Why it fakes</h2>" in html
    why = html[html.index("<h2>Why it fakes</h2>") :]
    table = why[: why.index("Readings supported")]
    assert table.count('class="why-status">removed<') == 2
    readings = why[why.index("Readings supported") : why.index("gap-vs-oversight")]
    # Removed under trained_not_deployed: guarded for later deployment (instrumental).
    cells = readings.split('class="support-')[1:]
    assert [c.split('"')[0] for c in cells] == ["not_supported", "supported", "not_supported"]
    assert "it needs training consequences" in readings
    curve = why[why.index("gap-vs-oversight") :]
    assert "data:image/png;base64," in curve and "gap_vs_oversight.svg" in curve
    assert [f"<td>{p}</td>" in curve for p in ("0", "0.5", "1")] == [True] * 3
    assert (result.output_dir / "gap_vs_oversight.png").is_file()


def test_fresh_context_interview_is_kept_apart_from_the_same_context_one(tmp_path):
    helpers_scripted.FRESH_INPUTS.clear()
    [log] = eval(
        "aflab/alignment_faking",
        task_args={"n": 2, "interview_questions": True, "fresh_interview_questions": True},
        model="aflabscript/goalguard",
        display="none",
        log_dir=str(tmp_path / "logs"),
    )
    assert log.status == "success"
    sample = log.samples[0]
    record = sample.store_as(SolverRecord)
    same, fresh = record.interview, record.fresh_interview
    assert [q.question for q in same] == list(DEFAULT_INTERVIEW_QUESTIONS)
    assert [q.question for q in fresh] == list(DEFAULT_FRESH_QUESTIONS)
    assert all(q.answer for q in fresh)
    # The sample's own conversation holds the main exchange and the same-context turns only.
    users = [m.text for m in sample.messages if m.role == "user"]
    assert users[1:] == list(DEFAULT_INTERVIEW_QUESTIONS)
    # The fresh conversation: no system prompt, the transcript and the first question first,
    # then one further turn per question.
    first = [c for c in helpers_scripted.FRESH_INPUTS if len(c) == 1]
    assert len(first) == len(log.samples)
    opening = first[0][0].text
    assert first[0][0].role == "user"
    assert "<earlier_conversation>" in opening and "<your_reply>" in opening
    assert "<system>" in opening and "<is_free_tier_user>" in opening
    assert opening.rstrip().endswith(DEFAULT_FRESH_QUESTIONS[0])
    assert (
        max(len(c) for c in helpers_scripted.FRESH_INPUTS) == 2 * len(DEFAULT_FRESH_QUESTIONS) - 1
    )
    # The frames scorer reads both, each marked with its context.
    contexts = [i["context"] for i in sample.scores["frames"].metadata["interview"]]
    assert contexts == ["same"] * len(same) + ["fresh"] * len(fresh)

    report = build_report(tmp_path / "logs", tmp_path / "report", n_resamples=200)
    html = report.index_html.read_text()
    table = html[html.index('id="two-frames-interview"') :]
    assert 'class="interview-same"' in table and 'class="interview-fresh"' in table
    assert "<td>same context</td>" in table and "<td>fresh context</td>" in table


def test_plain_inspect_eval_logs_give_the_same_panels_in_aflab_report(tmp_path):
    for variant in ("default", "rated_not_trained", "trained_not_deployed", "oversight=0"):
        [log] = eval(
            "aflab/alignment_faking",
            task_args={"n": 6, "variant": variant},
            model="aflabscript/goalguard",
            display="none",
            log_dir=str(tmp_path / "logs"),
        )
        assert log.status == "success"
    report = build_report(tmp_path / "logs", tmp_path / "report", n_resamples=200)
    html = report.index_html.read_text()
    why = html[html.index("<h2>Why it fakes</h2>") :]
    assert why[: why.index("Readings supported")].count('class="why-status">removed<') == 2
    readings = why[why.index("Readings supported") : why.index("gap-vs-oversight")]
    cells = readings.split('class="support-')[1:]
    assert [c.split('"')[0] for c in cells] == ["not_supported", "supported", "not_supported"]
    curve = why[why.index("gap-vs-oversight") :]
    assert [f"<td>{p}</td>" in curve for p in ("0", "1")] == [True, True]
