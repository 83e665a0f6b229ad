import os

import pytest
from helpers_logs import log_name, pattern, write_log

from aflab.analysis import LogWarning, samples_table, summarize


def _write(directory, name, specs, *, status="success", age=0.0, **kwargs):
    path = write_log(directory / name, specs, status=status, **kwargs)
    stamp = 1_700_000_000 + age
    os.utime(path, (stamp, stamp))
    return path


def test_two_logs_of_one_run_count_each_sample_once(tmp_path):
    specs = pattern(15, training_comply=0.6, unmonitored_comply=0.2)
    first = _write(tmp_path, log_name("a", "helpful_only", "default"), specs)
    second = _write(tmp_path, "2025-01-02T00-00-00+00-00_second.eval", specs, age=60)
    with pytest.warns(LogWarning, match="30 sample") as caught:
        df = samples_table(tmp_path)
    assert len(df) == 30  # not 60
    assert df.groupby("tier").size().to_dict() == {"training": 15, "unmonitored": 15}
    report = df.attrs["duplicates"]
    assert report == {"dropped": 30, "samples": 30, "logs": [str(first)]}
    assert str(first) in str(caught[0].message)
    assert set(df["log"]) == {str(second)}  # the newest log wins
    summary = summarize(df)
    assert {c["n"] for c in summary["conditions"]} == {15}
    assert {g["method"] for g in summary["gaps"]} == {"paired"}


def test_completed_log_wins_over_a_newer_unfinished_one(tmp_path):
    done = pattern(10, training_comply=0.5)
    partial = pattern(10, training_comply=1.0, unmonitored_comply=1.0)[:7]
    finished = _write(tmp_path, "2025-01-01T00-00-00+00-00_done.eval", done)
    _write(tmp_path, "2025-01-02T00-00-00+00-00_partial.eval", partial, status="started", age=60)
    with pytest.warns(LogWarning) as caught:
        df = samples_table(tmp_path)
    assert len(df) == 20
    assert set(df["log"]) == {str(finished)}
    assert df[df.tier == "training"]["complied"].sum() == 5
    messages = [str(w.message) for w in caught]
    assert any("unfinished" in m and "'started'" in m and "0 of its 7" in m for m in messages)
    assert any("7 sample(s) appear in more than one log" in m for m in messages)


def test_sample_without_error_wins_between_completed_logs(tmp_path):
    good = pattern(3, training_comply=1.0)
    bad = [s.__class__(**{**s.__dict__, "error": "boom"}) for s in good]
    _write(tmp_path, "2025-01-01T00-00-00+00-00_good.eval", good)
    _write(tmp_path, "2025-01-02T00-00-00+00-00_bad.eval", bad, age=60)
    with pytest.warns(LogWarning):
        df = samples_table(tmp_path)
    assert len(df) == 6 and df["error"].isna().all()


def test_other_models_and_epochs_are_not_duplicates(tmp_path):
    specs = pattern(4, training_comply=0.5, epochs=2)
    _write(tmp_path, log_name("a", "helpful_only", "default"), specs, model="mockllm/a")
    _write(tmp_path, log_name("b", "helpful_only", "default"), specs, model="mockllm/b")
    df = samples_table(tmp_path)
    assert len(df) == 32
    assert df.attrs["duplicates"]["dropped"] == 0


def test_unfinished_log_alone_is_counted_with_a_warning(tmp_path):
    path = _write(tmp_path, "run.eval", pattern(3)[:4], status="cancelled")
    with pytest.warns(LogWarning, match="4 of its 4 sample"):
        df = samples_table(path)
    assert len(df) == 4
