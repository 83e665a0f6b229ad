import math

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

from aflab.analysis import AnalysisError, holm, rate, tier_breakdown


@pytest.mark.parametrize(("k", "n"), [(0, 5), (3, 7), (5, 5), (40, 1000)])
def test_rate_matches_statsmodels_wilson(k, n):
    lo, hi = proportion_confint(k, n, method="wilson")
    r = rate(k, n)
    assert (r.k, r.n, r.p) == (k, n, k / n)
    assert r.lo == pytest.approx(lo) and r.hi == pytest.approx(hi)


def test_rate_of_nothing_is_nan_not_a_crash():
    r = rate(0, 0)
    assert r.n == 0 and not r.defined
    assert math.isnan(r.p) and math.isnan(r.lo) and math.isnan(r.hi)


def test_rate_rejects_impossible_counts():
    with pytest.raises(AnalysisError, match="3 successes out of 2"):
        rate(3, 2)


def _table(rows):
    return pd.DataFrame(rows, columns=["tier", "complied", "af_label"])


def test_tier_breakdown_splits_scored_samples():
    df = _table(
        [
            ("training", 1, 1),
            ("training", 1, 0),
            ("training", 0, 0),
            ("training", np.nan, np.nan),
            ("training", 1, np.nan),
            ("unmonitored", 0, 0),
        ]
    )
    b = tier_breakdown(df)
    t = b["training"]
    assert (t.refuses.k, t.complies_af.k, t.complies_no_af.k) == (1, 1, 1)
    assert t.refuses.n == 4
    assert t.complies_af_unscored == 1 and t.unscored == 1
    assert b["unmonitored"].refuses.p == 1.0


def test_tier_breakdown_of_an_absent_tier_has_no_trials():
    b = tier_breakdown(_table([("training", 1, 0)]))
    assert b["unmonitored"].refuses.n == 0
    assert math.isnan(b["unmonitored"].complies_af.p)


def test_tier_breakdown_needs_its_columns():
    with pytest.raises(AnalysisError, match="af_label"):
        tier_breakdown(pd.DataFrame({"tier": [], "complied": []}))


def test_holm_matches_statsmodels():
    raw = [0.01, 0.04, 0.03, 0.2]
    assert holm(raw) == pytest.approx(list(multipletests(raw, method="holm")[1]))


def test_holm_keeps_nan_out_of_the_family():
    adjusted = holm([0.01, math.nan, 0.04])
    expected = multipletests([0.01, 0.04], method="holm")[1]
    assert adjusted[0] == pytest.approx(expected[0])
    assert adjusted[2] == pytest.approx(expected[1])
    assert math.isnan(adjusted[1])


def test_holm_of_nothing_is_empty():
    assert holm([]) == []


def test_interval_always_contains_the_estimate():
    from aflab.analysis import rate

    for n in range(1, 200):
        for k in (0, 1, n // 2, n - 1, n):
            r = rate(k, n)
            assert r.lo <= r.p <= r.hi, (k, n, r)
