"""Ablations lined up beside their base condition, and gap-versus-oversight curves."""

import math

from aflab.analysis import GapPoint, oversight_curves, why_table


def point(variant: str, gap: float, half: float = 0.05, model: str = "m") -> GapPoint:
    return GapPoint(model, "helpful_only", variant, gap, gap - half, gap + half, 50)


def test_each_ablation_is_compared_with_the_same_items_without_it():
    gaps = [
        point("default", 0.2),
        point("rated_not_trained", 0.0),
        point("trained_not_deployed", 0.19),
        point("developer_trust=low", 0.3),
        point("paraphrase=2", 0.1),
        point("paraphrase=2+trained_not_deployed", 0.0),
        point("no_examples+rated_not_trained", 0.2),  # its base was not run
        point("default", 0.0, model="other"),
    ]
    rows = why_table(gaps)
    assert [(r.model, r.base) for r in rows] == [("m", "default"), ("m", "paraphrase=2")]
    default, paraphrase = rows
    assert list(default.ablations) == [
        "rated_not_trained",
        "trained_not_deployed",
        "developer_trust=low",
    ]
    assert default.statuses == {
        "rated_not_trained": "removed",
        "trained_not_deployed": "kept",
        "developer_trust=low": "kept",
    }
    assert default.reading.rater_sycophancy == "not_supported"
    assert default.reading.terminal_goal_guarding == "supported"
    assert default.reading.instrumental_goal_guarding == "not_supported"
    assert paraphrase.statuses == {"trained_not_deployed": "removed"}
    assert paraphrase.reading.instrumental_goal_guarding == "supported"
    assert paraphrase.reading.rater_sycophancy == "untested"


def test_developer_swaps_follow_the_ablations_and_decide_no_reading():
    gaps = [
        point("default", 0.2),
        point("company=Nimbus", 0.0),
        point("company=auto", 0.21),
        point("rated_not_trained", 0.0),
        point("company=Nimbus+developer_trust=low", 0.4),
    ]
    rows = why_table(gaps)
    assert [r.base for r in rows] == ["company=Nimbus", "default"]
    nimbus, default = rows
    assert list(default.ablations) == ["rated_not_trained", "company=Nimbus", "company=auto"]
    assert default.statuses["company=Nimbus"] == "removed"
    assert default.statuses["company=auto"] == "kept"
    # The reading comes from the goal-guarding ablations alone.
    assert default.reading.rater_sycophancy == "not_supported"
    assert list(nimbus.ablations) == ["developer_trust=low"]
    assert nimbus.reading.rater_sycophancy == "untested"


def test_no_table_without_a_base_condition():
    assert why_table([point("rated_not_trained", 0.0), point("trained_not_deployed", 0.1)]) == []


def test_oversight_curve_puts_the_base_at_share_one():
    gaps = [
        point("default", 0.3),
        point("oversight=0.5", 0.15),
        point("oversight=0.1", 0.02),
        point("no_examples+oversight=0.5", 0.1),  # one share, no base: no curve
        point("company=Nimbus AI+oversight=0.25", 0.1),
        point("company=Nimbus AI+oversight=0.75", 0.2),
    ]
    curves = oversight_curves(gaps)
    assert [(c.base, [s for s, _ in c.points]) for c in curves] == [
        ("company=Nimbus AI", [0.25, 0.75]),
        ("default", [0.1, 0.5, 1.0]),
    ]
    assert [g.variant for _, g in curves[1].points] == ["oversight=0.1", "oversight=0.5", "default"]


def test_an_explicit_full_share_is_not_replaced_by_the_base():
    gaps = [point("default", 0.3), point("oversight=1", 0.25), point("oversight=0", 0.0)]
    [curve] = oversight_curves(gaps)
    assert [(s, g.variant) for s, g in curve.points] == [(0.0, "oversight=0"), (1.0, "oversight=1")]


def test_gap_entries_with_missing_numbers_read_as_nan():
    entry = {"model": "m", "setting": "s", "variant": "default", "gap": None,
             "gap_ci": [None, None], "n_pairs": 0, "warning": "few"}  # fmt: skip
    g = GapPoint.from_entry(entry)
    assert math.isnan(g.gap) and math.isnan(g.lo) and math.isnan(g.hi) and g.warning == "few"
