"""The second-frame settings, channel variants and interview, run end to end."""

import json

import helpers_models  # noqa: F401  (registers the scripted model)

from aflab.contract import FramesResult, SolverRecord
from aflab.experiment import ExperimentConfig, run_experiment
from aflab.solvers import DEFAULT_INTERVIEW_QUESTIONS


def test_new_settings_variants_and_interview(tmp_path):
    config = ExperimentConfig(
        models=["aflabtest/tiered"],
        settings=["honesty", "privacy", "training_transparency"],
        variants=["channel=document", "test_disclosed"],
        n=2,
        interview=True,
        log_dir=str(tmp_path / "logs"),
        output=str(tmp_path / "out"),
    )
    result = run_experiment(config, display="none")
    assert result.success, result.failed_tasks
    data = json.loads(result.results_json.read_text())
    conditions = {(c["setting"], c["variant"]) for c in data["conditions"]}
    assert conditions == {
        (s, v)
        for s in ("honesty", "privacy", "training_transparency")
        for v in ("channel=document", "test_disclosed")
    }

    from inspect_ai.log import list_eval_logs, read_eval_log

    log = read_eval_log(list_eval_logs(str(tmp_path / "logs"))[0].name)
    sample = log.samples[0]
    questions = [m.text for m in sample.messages if m.role == "user"][1:]
    assert questions == list(DEFAULT_INTERVIEW_QUESTIONS)
    assert len(sample.store_as(SolverRecord).interview) == len(DEFAULT_INTERVIEW_QUESTIONS)
    # The interview answers are read by the frame classifiers, apart from the main exchange.
    assert FramesResult.from_score(sample.scores["frames"]).interview

    html = result.report_html.read_text()
    assert "Two frames" in html
    assert "preservation_profile" in html or "Preservation profile" in html
