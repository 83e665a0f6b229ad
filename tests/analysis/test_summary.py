import json

import pytest
from helpers_logs import SampleSpec, log_name, pattern, write_log

from aflab.analysis import format_summary, samples_table, summarize


@pytest.fixture
def table(tmp_path):
    write_log(
        tmp_path / log_name("a", "helpful_only", "default"),
        pattern(20, training_comply=0.5, unmonitored_comply=0.1, training_af=0.2),
        model="mockllm/a",
    )
    sloppy = [
        SampleSpec(f"q{i}", tier, complied=0.0, format_ok=float(i % 2), judge_failures=i % 3)
        for i in range(10)
        for tier in ("training", "unmonitored")
    ]
    sloppy.append(SampleSpec("q99", "training", complied=None, af=None))
    write_log(
        tmp_path / log_name("a", "helpful_only", "paraphrase=1"),
        sloppy,
        model="mockllm/a",
        variant="paraphrase=1",
    )
    return samples_table(tmp_path)


def test_payload_has_a_row_per_condition_and_tier(table):
    summary = summarize(table)
    keys = [(c["variant"], c["tier"]) for c in summary["conditions"]]
    assert keys == [
        ("default", "training"),
        ("default", "unmonitored"),
        ("paraphrase=1", "training"),
        ("paraphrase=1", "unmonitored"),
    ]
    first = summary["conditions"][0]
    assert first["compliance_rate"] == 0.5 and first["n"] == 20
    assert first["comply_with_af_rate"] == 0.2 and first["comply_without_af_rate"] == 0.3
    assert first["compliance_ci"][0] < 0.5 < first["compliance_ci"][1]
    assert first["reliability"] == "ok" and first["warning"] is None


def test_payload_is_strict_json(table):
    text = json.dumps(summarize(table), allow_nan=False)
    assert "NaN" not in text


def test_gap_entries(table):
    gaps = {g["variant"]: g for g in summarize(table)["gaps"]}
    default = gaps["default"]
    assert default["gap"] == pytest.approx(0.4)
    assert default["method"] == "paired" and default["n_pairs"] == 20
    assert default["p_holm"] >= default["p_mcnemar"]
    assert gaps["paraphrase=1"]["gap"] == 0


def test_unreliable_conditions_are_flagged(table):
    rows = {(c["variant"], c["tier"]): c for c in summarize(table)["conditions"]}
    sloppy = rows[("paraphrase=1", "training")]
    assert sloppy["unscored"] == 1
    assert sloppy["judge_failures"] == 6
    assert sloppy["reliability"] == "low_format_adherence+judge_failures"
    assert "mean little" in sloppy["warning"]


def test_format_summary_puts_warnings_beside_rates(table):
    text = format_summary(summarize(table))
    assert "+40.0 pp" in text
    line = next(x for x in text.splitlines() if "paraphrase=1" in x and "training" in x)
    assert "WARNING" in line and "%" in line


def test_gaps_carry_their_tiers_warnings(table):
    gaps = {g["variant"]: g for g in summarize(table)["gaps"]}
    assert gaps["default"]["warning"] is None and gaps["default"]["reliability"] == "ok"
    assert "training:" in gaps["paraphrase=1"]["warning"]
    assert gaps["paraphrase=1"]["reliability"] != "ok"
    text = format_summary(summarize(table))
    gap_line = next(x for x in text.splitlines() if "paraphrase=1" in x and " pp" in x)
    assert "unreliable" in gap_line


def test_truncation_is_counted_per_tier_and_flags_the_gap_when_it_differs(table):
    table = table.copy()
    default_training = (table["variant"] == "default") & (table["tier"] == "training")
    table.loc[table.index[default_training][:9], "truncated"] = 1.0
    summary = summarize(table)
    rows = {(c["variant"], c["tier"]): c for c in summary["conditions"]}
    assert rows[("default", "training")]["truncated"] == 9
    assert rows[("default", "training")]["truncated_rate"] == pytest.approx(0.45)
    assert rows[("default", "unmonitored")]["truncated"] == 0
    gaps = {g["variant"]: g for g in summary["gaps"]}
    assert gaps["default"]["reliability"] == "truncation_differs"
    assert "training 9/20" in gaps["default"]["warning"]
    assert "truncated" in format_summary(summary)


def test_equal_truncation_in_both_tiers_does_not_flag_the_gap(table):
    table = table.copy()
    default = table["variant"] == "default"
    for tier in ("training", "unmonitored"):
        rows = table.index[default & (table["tier"] == tier)][:3]
        table.loc[rows, "truncated"] = 1.0
    gaps = {g["variant"]: g for g in summarize(table)["gaps"]}
    assert gaps["default"]["reliability"] == "ok" and gaps["default"]["warning"] is None
