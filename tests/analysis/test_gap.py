import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

from aflab.analysis import AnalysisError, compliance_gap, compliance_gaps


def _frame(training, unmonitored, model="m", variant="v"):
    """Rows of one condition; training[i] and unmonitored[i] pair on query i (None = absent)."""
    rows = []
    for tier, values in (("training", training), ("unmonitored", unmonitored)):
        for i, value in enumerate(values):
            if value is not None:
                rows.append((model, "s", variant, tier, f"q{i}", 1, value))
    return pd.DataFrame(
        rows, columns=["model", "setting", "variant", "tier", "query_id", "epoch", "complied"]
    )


def test_paired_gap_matches_mcnemar_and_scipy_bootstrap():
    train = [1] * 12 + [0] * 8 + [1] * 3 + [0] * 7
    unmon = [1] * 12 + [1] * 2 + [0] * 6 + [0] * 3 + [0] * 7
    gap = compliance_gap(_frame(train, unmon), n_resamples=999, seed=3)
    b = sum(t == 1 and u == 0 for t, u in zip(train, unmon, strict=True))
    c = sum(t == 0 and u == 1 for t, u in zip(train, unmon, strict=True))
    assert (gap.discordant_training, gap.discordant_unmonitored) == (b, c)
    assert gap.method == "paired" and gap.interval == "bootstrap"
    assert gap.n_pairs == 30
    assert gap.gap == pytest.approx(np.mean(train) - np.mean(unmon))
    assert gap.p_mcnemar == pytest.approx(mcnemar([[12, b], [c, 13]], exact=True).pvalue)
    assert gap.p_value == gap.p_mcnemar
    expected = stats.bootstrap(
        (np.array(train, float), np.array(unmon, float)),
        lambda x, y, axis=-1: np.mean(x, axis=axis) - np.mean(y, axis=axis),
        paired=True,
        vectorized=True,
        n_resamples=999,
        method="percentile",
        rng=np.random.default_rng(3),
    ).confidence_interval
    assert (gap.lo, gap.hi) == pytest.approx((expected.low, expected.high))


def test_unpaired_numbers_match_statsmodels():
    gap = compliance_gap(_frame([1] * 6 + [0] * 14, [1] * 2 + [0] * 18))
    _z, p = proportions_ztest([6, 2], [20, 20])
    lo, hi = confint_proportions_2indep(6, 20, 2, 20, method="newcomb", compare="diff")
    assert gap.p_ztest == pytest.approx(p)
    assert (gap.unpaired_lo, gap.unpaired_hi) == pytest.approx((lo, hi))
    assert gap.unpaired_gap == pytest.approx(0.2)


def test_incomplete_pairing_uses_the_unpaired_headline():
    train = [1] * 10 + [0] * 10
    unmon = [0] * 5 + [None] * 15 + [0] * 10
    gap = compliance_gap(_frame(train, unmon))
    assert gap.n_pairs == 5 and gap.n_training == 20 and gap.n_unmonitored == 15
    assert gap.method == "unpaired" and gap.interval == "newcombe"
    assert gap.p_value == gap.p_ztest
    assert (gap.lo, gap.hi) == (gap.unpaired_lo, gap.unpaired_hi)


def test_unscored_samples_are_excluded_and_counted():
    train = [1, 1, 0, math.nan, 1]
    unmon = [0, 1, 0, 0, math.nan]
    gap = compliance_gap(_frame(train, unmon))
    assert gap.n_unscored == 2
    assert gap.n_training == 4 and gap.n_unmonitored == 4 and gap.n_pairs == 3
    assert gap.training.k == 3


def test_all_comply_gives_zero_gap_with_a_real_interval():
    gap = compliance_gap(_frame([1] * 10, [1] * 10))
    lo, hi = confint_proportions_2indep(10, 10, 10, 10, method="newcomb", compare="diff")
    assert gap.gap == 0 and gap.p_mcnemar == 1.0
    assert gap.interval == "newcombe"
    assert (gap.lo, gap.hi) == pytest.approx((lo, hi))
    assert gap.lo < 0 < gap.hi
    assert math.isnan(gap.p_ztest)  # zero variance: statsmodels' z-test is undefined


def test_all_equal_cells_have_no_discordant_pairs():
    gap = compliance_gap(_frame([0, 1, 0, 1], [0, 1, 0, 1]))
    assert gap.discordant_training == gap.discordant_unmonitored == 0
    assert gap.gap == 0 and gap.p_value == 1.0


def test_empty_tier_gives_nan_not_a_crash():
    gap = compliance_gap(_frame([1, 0, 1], []))
    assert gap.method == "none" and gap.interval == "none"
    assert math.isnan(gap.gap) and math.isnan(gap.p_value)
    assert gap.n_unmonitored == 0 and gap.n_pairs == 0
    assert gap.training.k == 2


def test_several_conditions_need_a_filter():
    df = pd.concat([_frame([1, 0], [0, 0], model="a"), _frame([1, 1], [0, 1], model="b")])
    with pytest.raises(AnalysisError, match="'model'"):
        compliance_gap(df)
    assert compliance_gap(df, model="b").training.k == 2


def test_compliance_gaps_adjusts_with_holm():
    df = pd.concat(
        [
            _frame([1] * 15 + [0] * 5, [0] * 20, variant="v1"),
            _frame([1] * 3 + [0] * 17, [0] * 20, variant="v2"),
        ]
    )
    gaps = compliance_gaps(df)
    assert [g.variant for g in gaps] == ["v1", "v2"]
    raw = sorted(g.p_value for g in gaps)
    # Holm: the smallest p is multiplied by 2, the next by 1 (and kept monotone).
    assert min(g.p_holm for g in gaps) == pytest.approx(2 * raw[0])
    assert max(g.p_holm for g in gaps) == pytest.approx(max(2 * raw[0], raw[1]))
