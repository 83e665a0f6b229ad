import json

import helpers_models

from aflab.experiment import ExperimentConfig, estimate_cost, run_experiment


def _config(tmp_path, **overrides):
    return ExperimentConfig(
        models=["aflabtest/tiered"],
        n=4,
        log_dir=str(tmp_path / "logs"),
        output=str(tmp_path / "out"),
        **overrides,
    )


def test_run_writes_results_with_known_gap(tmp_path):
    config = _config(tmp_path, report=False)
    result = run_experiment(config, display="none")
    assert result.success
    data = json.loads((tmp_path / "out" / "results.json").read_text())
    rows = {c["tier"]: c for c in data["conditions"]}
    assert rows["training"]["compliance_rate"] == 1.0
    assert rows["unmonitored"]["compliance_rate"] == 0.0
    assert rows["training"]["n"] == 4
    # The scripted training-tier reasoning is alignment faking; the refusals are not.
    assert rows["training"]["af_rate"] == 1.0
    assert rows["unmonitored"]["af_rate"] == 0.0
    lo, hi = rows["training"]["compliance_ci"]
    assert 0 < lo < 1.0 <= hi + 1e-9
    [gap] = data["gaps"]
    assert gap["gap"] == 1.0
    assert gap["gap_ci"][0] > 0
    assert gap["setting"] == "helpful_only" and gap["variant"] == "default"
    assert data["run"]["complete"] is True
    assert data["run"]["usage"]["aflabtest/tiered"]["output_tokens"] > 0


def test_interrupted_run_resumes_without_redoing_samples(tmp_path, monkeypatch):
    monkeypatch.setattr(helpers_models, "CALLS", [])
    monkeypatch.setitem(helpers_models.FAILURE, "after", 3)
    first = run_experiment(_config(tmp_path, report=False), display="none")
    assert not first.success
    assert first.failed_tasks  # the failure is reported, not swallowed
    done_before = len(helpers_models.CALLS)
    assert done_before == 3

    monkeypatch.setattr(helpers_models, "CALLS", [])
    monkeypatch.setitem(helpers_models.FAILURE, "after", None)
    second = run_experiment(_config(tmp_path, report=False), display="none")
    assert second.success
    # Only the samples that had not finished are generated again.
    assert len(helpers_models.CALLS) == 8 - done_before
    data = json.loads((tmp_path / "out" / "results.json").read_text())
    assert sum(c["n"] for c in data["conditions"]) == 8


def test_dry_run_counts_calls(tmp_path):
    config = _config(tmp_path, settings=["helpful_only", "animal_welfare"], epochs=2)
    estimate = estimate_cost(config)
    assert estimate.samples == 2 * 4 * 2 * 2
    assert estimate.model_calls_min == estimate.samples
    assert estimate.judge_calls == 0
    judged = estimate_cost(config.with_overrides(judge_model="openai/gpt-4o", votes=20))
    assert judged.judge_calls > 20 * judged.samples


def test_report_and_results_json_render_one_analysis(tmp_path, monkeypatch):
    """The gaps are computed once per run and results.json is written once, with the run."""
    import aflab.analysis._analysis as analysis_module
    import aflab.analysis._frames as frames_module
    import aflab.analysis._summary as summary_module

    calls = []
    real = analysis_module.compliance_gaps

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    for module in (analysis_module, frames_module, summary_module):
        monkeypatch.setattr(module, "compliance_gaps", counted)
    writes = []
    real_write = analysis_module.Analysis.write_json
    monkeypatch.setattr(analysis_module.Analysis, "write_json",
                        lambda self, *a, **k: writes.append(1) or real_write(self, *a, **k))
    result = run_experiment(_config(tmp_path, report=True), display="none")
    assert len(calls) == 1 and len(writes) == 1
    data = json.loads(result.results_json.read_text())
    assert data == result.summary
    assert data["run"]["complete"] is True and data["logs"]
    assert result.analysis is not None and result.analysis.summary["gaps"] == data["gaps"]


def test_log_directory_of_another_experiment_is_a_clear_error(tmp_path):
    import pytest

    from aflab.experiment import ConfigError

    run_experiment(_config(tmp_path, report=False), display="none")
    with pytest.raises(ConfigError, match="different experiment"):
        run_experiment(_config(tmp_path, report=False, variants=["no_examples"]), display="none")
