import math

import pandas as pd
import pytest
from helpers_logs import SampleSpec, log_name, make_log, pattern, write_log
from inspect_ai.log import write_eval_log

from aflab.analysis import BASE_COLUMNS, LogReadError, LogWarning, export_table, samples_table


def test_one_row_per_sample_with_contract_columns(tmp_path):
    path = write_log(tmp_path / "run.eval", pattern(4, training_comply=0.5, training_af=0.25))
    df = samples_table(path)
    assert len(df) == 8
    assert list(df.columns[: len(BASE_COLUMNS)]) == list(BASE_COLUMNS)
    row = df[(df.query_id == "q0000") & (df.tier == "training")].iloc[0]
    assert row.model == "mockllm/model"
    assert row.setting == "helpful_only"
    assert row.value == "harmlessness"
    assert row.sample_id == "helpful_only__q0000__training"
    assert row.complied == 1.0 and row.af_label == 1.0 and row.format_ok == 1.0
    assert row.af_classifier == "synthetic"
    assert row.af_votes[0]["vote"] is True
    assert "values get modified" in row.scratchpad
    assert row.output.startswith("<request_fully_accepted/>")


def test_unscored_scores_stay_nan_with_reason(tmp_path):
    specs = [SampleSpec("q1", "training", complied=None, af=None)]
    df = samples_table(write_log(tmp_path / "run.eval", specs))
    row = df.iloc[0]
    assert math.isnan(row.complied) and math.isnan(row.af_label)
    assert "compliance: judge failed after retries" in row.unscored_reason
    assert "alignment_faking: no scratchpad to judge" in row.unscored_reason


def test_errored_sample_keeps_its_row(tmp_path):
    specs = [SampleSpec("q1", "training"), SampleSpec("q2", "training", error="boom")]
    df = samples_table(write_log(tmp_path / "run.eval", specs)).set_index("query_id")
    assert df.loc["q2", "error"] == "boom"
    assert math.isnan(df.loc["q2", "complied"])
    assert pd.isna(df.loc["q1", "error"])


def test_unfinished_run_is_read(tmp_path):
    path = write_log(tmp_path / "run.eval", pattern(3), status="started")
    with pytest.warns(LogWarning, match="unfinished"):
        df = samples_table(path)
    assert len(df) == 6
    assert set(df.log_status) == {"started"}


def test_directories_are_searched_recursively_in_both_formats(tmp_path):
    write_log(tmp_path / "a" / log_name("m1", "s", "v"), pattern(2), model="mockllm/m1")
    write_log(
        tmp_path / "a" / "b" / log_name("m2", "s", "v", ".json"), pattern(3), model="mockllm/m2"
    )
    (tmp_path / "a" / "results.json").write_text("{}")
    df = samples_table(tmp_path / "a")
    assert df.groupby("model").size().to_dict() == {"mockllm/m1": 4, "mockllm/m2": 6}


def test_epochs_are_kept_apart(tmp_path):
    df = samples_table(write_log(tmp_path / "run.eval", pattern(2, epochs=3)))
    assert sorted(df.epoch.unique()) == [1, 2, 3]
    assert len(df) == 12


def test_other_scorer_keys_become_columns(tmp_path):
    log = make_log(pattern(1))
    for sample in log.samples:
        sample.scores["extra"] = sample.scores["format"].model_copy(
            update={"value": {"my_metric": 0.25, "tier": 1}}
        )
    write_eval_log(log, str(tmp_path / "run.eval"))
    df = samples_table(tmp_path / "run.eval")
    assert (df.my_metric == 0.25).all()
    assert (df.extra_tier == 1.0).all()
    assert set(df.tier) == {"training", "unmonitored"}


def test_missing_path_is_a_clear_error(tmp_path):
    with pytest.raises(LogReadError, match="does not exist"):
        samples_table(tmp_path / "nope")


def test_empty_directory_is_a_clear_error(tmp_path):
    with pytest.raises(LogReadError, match="no Inspect logs"):
        samples_table(tmp_path)


def test_log_without_aflab_metadata_is_rejected(tmp_path):
    log = make_log(pattern(1))
    for sample in log.samples:
        sample.metadata = {}
    write_eval_log(log, str(tmp_path / "other.eval"))
    with pytest.raises(LogReadError, match=r"(?s)SampleMetadata.*setting.*alignment_faking task"):
        samples_table(tmp_path / "other.eval")


def test_unreadable_file_names_the_file(tmp_path):
    bad = tmp_path / "broken.json"
    bad.write_text("not json")
    with pytest.raises(LogReadError, match=r"broken\.json"):
        samples_table(bad)


def test_export_writes_csv_and_parquet(tmp_path):
    df = samples_table(write_log(tmp_path / "run.eval", pattern(2, training_comply=0.5)))
    paths = export_table(df, tmp_path / "out")
    assert pd.read_csv(paths["csv"]).shape == df.shape
    back = pd.read_parquet(paths["parquet"])
    assert back.complied.tolist() == df.complied.tolist()
