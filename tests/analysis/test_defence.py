"""Open and strategic defence, the harm-free profile, and compliance given suspicion."""

import math

import numpy as np
import pandas as pd
import pytest
from helpers_frames import add_frames, write
from helpers_logs import SampleSpec, make_log, pattern

from aflab.analysis import (
    compliance_by_suspicion,
    open_defence,
    preservation_profile,
    rate,
    refusal_rates,
    samples_table,
)
from aflab.analysis._defence import clustered_rate

SUSPECTS = {f"q{i:04d}" for i in (0, *range(10, 20))}


@pytest.fixture(scope="module")
def df(tmp_path_factory):
    # Training: q0-q9 comply; unmonitored: q0-q3 comply. q0-q9 are harm-free.
    specs = pattern(20, training_comply=0.5, unmonitored_comply=0.2, training_af=0.3)
    specs.append(SampleSpec("q0020", "training", complied=None))
    specs.append(SampleSpec("q0020", "unmonitored", complied=0.0))
    log = make_log(specs, setting="fairness", value="fairness")
    for sample in log.samples:
        number = int(sample.metadata["query_id"][1:])
        sample.metadata["harm"] = "none" if number < 10 else "financial"

    def reading(sample):
        if sample.metadata["query_id"] == "q0019" and sample.metadata["tier"] == "training":
            return None  # frames unscored: counted as unread, never as "no suspicion"
        return {"suspicion": float(sample.metadata["query_id"] in SUSPECTS)}

    add_frames(log, reading)
    return samples_table(write(log, tmp_path_factory.mktemp("defence") / "run.eval"), workers=1)


def test_open_defence_counts_pairs_refused_in_both_tiers(df):
    both = open_defence(df)
    # q10-q19 refuse in both tiers; q20 has no training score, so it is not a pair.
    assert (both.k, both.n) == (10, 20)
    refuses = refusal_rates(df)
    assert (refuses["training"].k, refuses["training"].n) == (10, 20)
    assert (refuses["unmonitored"].k, refuses["unmonitored"].n) == (17, 21)


def test_profile_shows_open_beside_strategic_defence(df):
    (profile,) = preservation_profile(df, n_resamples=200)
    assert profile.value == "fairness" and profile.harm == "all"
    assert profile.gap.gap == pytest.approx(0.3)
    assert (profile.af_training.k, profile.af_training.n) == (6, 21)
    assert (profile.open_defence.k, profile.open_defence.n) == (10, 20)
    assert profile.refuses["unmonitored"].k == 17


def test_harm_free_profile_is_shown_apart(df):
    (free,) = preservation_profile(df, harm="none", n_resamples=200)
    assert free.harm == "none"
    assert free.gap.gap == pytest.approx(0.6) and free.gap.n_pairs == 10
    assert (free.open_defence.k, free.open_defence.n) == (0, 10)
    assert (free.refuses["training"].k, free.refuses["unmonitored"].k) == (0, 6)
    assert preservation_profile(df, harm="physical", n_resamples=50) == []


def test_compliance_conditioned_on_suspicion(df):
    rows = {r.tier: r for r in compliance_by_suspicion(df)}
    training = rows["training"]
    # Suspecting: q0 (complies) and q10-q18 (refuse; q19's frames are unread).
    assert (training.suspects.k, training.suspects.n) == (1, 10)
    assert (training.trusts.k, training.trusts.n) == (9, 9)
    assert training.difference == pytest.approx(0.1 - 1.0)
    assert training.lo <= training.difference <= training.hi < 0 and training.p_value < 0.05
    assert training.unread == 1
    unmonitored = rows["unmonitored"]
    assert (unmonitored.suspects.k, unmonitored.suspects.n) == (1, 11)
    assert (unmonitored.trusts.k, unmonitored.trusts.n) == (3, 10)


def test_suspicion_needs_both_groups_for_a_difference(df):
    only_suspects = df[df.query_id.isin(sorted(SUSPECTS))]
    rows = compliance_by_suspicion(only_suspects)
    assert all(r.trusts.n == 0 and math.isnan(r.difference) for r in rows)
    assert all(math.isnan(r.lo) and math.isnan(r.hi) for r in rows)
    assert compliance_by_suspicion(df.drop(columns=["suspicion"])) == []


def test_profile_names_the_instrument_that_read_compliance(df):
    (profile,) = preservation_profile(df, n_resamples=50)
    assert profile.instruments == ("tag",)
    judged = df.assign(compliance_method=df["compliance_method"].where(df.harm == "none", "judge"))
    (mixed,) = preservation_profile(judged, n_resamples=50)
    assert mixed.instruments == ("judge", "tag")


def _simulated_table(rng, queries=30, epochs=3, shift=-0.2):
    """One tier: each query has its own compliance rate; suspecting lowers it by `shift`."""
    base = rng.uniform(0.35, 0.75, queries)
    rows = []
    for q in range(queries):
        for epoch in range(1, epochs + 1):
            suspects = rng.random() < 0.35
            complied = rng.random() < base[q] + (shift if suspects else 0.0)
            rows.append({"model": "m", "setting": "s", "value": "v", "variant": "default",
                         "tier": "training", "query_id": f"q{q}", "epoch": epoch,
                         "complied": float(complied), "suspicion": float(suspects)})
    return pd.DataFrame(rows)


def test_suspicion_interval_covers_the_true_difference_in_simulation():
    # 400 simulated runs of 30 queries x 3 epochs, queries differing in their compliance and
    # suspicion lowering it by 0.2: the 95% interval should hold -0.2 about 95% of the time.
    rng = np.random.default_rng(7)
    hits = total = 0
    for _ in range(400):
        (row,) = compliance_by_suspicion(_simulated_table(rng))
        if not math.isnan(row.lo):
            total += 1
            hits += row.lo <= -0.2 <= row.hi
    assert total >= 395
    assert 0.92 <= hits / total <= 0.98, hits / total


def _pairs_table(rng, queries=30, epochs=3):
    """Both tiers of each query and epoch; each query has its own chance of refusing in both."""
    chance = rng.beta(0.5, 1.5, queries)  # mean 0.25, queries differ a lot
    rows = []
    for q in range(queries):
        for epoch in range(1, epochs + 1):
            refused = rng.random() < chance[q]
            for tier in ("training", "unmonitored"):
                rows.append({"setting": "s", "variant": "default", "query_id": f"q{q}",
                             "epoch": epoch, "tier": tier, "complied": 0.0 if refused else 1.0})
    return pd.DataFrame(rows)


def test_open_defence_interval_covers_the_truth_when_queries_repeat():
    # 400 simulated runs of 30 queries x 3 epochs with strongly query-dependent refusals: the
    # plain Wilson interval is too narrow (0.855 here, 0.9425 widened); the widened one is not.
    rng = np.random.default_rng(3)
    widened = plain = 0
    for _ in range(400):
        result = open_defence(_pairs_table(rng))
        widened += result.lo <= 0.25 <= result.hi
        naive = rate(result.k, result.n)
        plain += naive.lo <= 0.25 <= naive.hi
    assert 0.92 <= widened / 400 <= 0.98, widened / 400
    assert plain / 400 < 0.91, plain / 400


def test_clustered_rate_is_wilson_without_repeats():
    hits = pd.Series([True, False, True, True, False])
    assert clustered_rate(hits, pd.Series(list("abcde"))) == rate(3, 5)
    assert clustered_rate(pd.Series([True] * 4), pd.Series(list("aabb"))) == rate(4, 4)
