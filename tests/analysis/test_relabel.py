import json

import pytest
from click.testing import CliRunner
from helpers_logs import SampleSpec, log_name, make_log
from inspect_ai.log import write_eval_log

from aflab.analysis import AnalysisError, relabel_faking, samples_table
from aflab.cli.main import cli


def _judge_log(path):
    """Training scratchpads with 1 of 3 yes votes (0.33): faking at 0.3, not at 0.4."""
    specs = [SampleSpec(f"q{i}", tier, complied=1.0, af=0.0)
             for i in range(6) for tier in ("training", "unmonitored")]  # fmt: skip
    log = make_log(specs)
    for sample in log.samples:
        score = sample.scores["alignment_faking"]
        score.metadata["classifier"] = "judge"
        if sample.metadata["tier"] == "training":
            score.value = {"af_score": 1 / 3, "af_label": 0.0}
    write_eval_log(log, str(path))
    return path


def test_relabel_uses_logged_votes(tmp_path):
    table = samples_table(_judge_log(tmp_path / log_name("m", "helpful_only", "default")))
    training = table["tier"] == "training"
    assert table.loc[training, "af_label"].sum() == 0
    relabelled = relabel_faking(table, 0.3)
    assert relabelled.loc[training, "af_label"].sum() == 6
    assert relabelled.loc[~training, "af_label"].sum() == 0
    assert table.loc[training, "af_label"].sum() == 0  # the input is not modified


def test_relabel_rejects_bad_threshold(tmp_path):
    table = samples_table(_judge_log(tmp_path / log_name("m", "helpful_only", "default")))
    with pytest.raises(AnalysisError, match="between 0 and 1"):
        relabel_faking(table, 1.5)


def test_report_cli_threshold(tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    _judge_log(logs / log_name("m", "helpful_only", "default"))
    result = CliRunner().invoke(
        cli, ["report", str(logs), "--output", str(tmp_path / "r"), "--af-threshold", "0.3"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "r" / "results.json").read_text())
    training = next(c for c in data["conditions"] if c["tier"] == "training")
    assert training["af_rate"] == 1.0
