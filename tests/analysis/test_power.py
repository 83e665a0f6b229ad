import math

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_effectsize

from aflab.analysis import AnalysisError, paired_power, power_queries


def test_unpaired_matches_statsmodels():
    h = proportion_effectsize(0.15, 0.10)
    expected = NormalIndPower().solve_power(effect_size=h, alpha=0.05, power=0.8, ratio=1.0)
    assert power_queries(0.05, 0.10) == math.ceil(expected)


def _exact_mcnemar_power(n, gap, psi, alpha=0.05):
    """Power of McNemar's score test by enumerating every (b, c) with scipy's multinomial."""
    cells = [(psi + gap) / 2, (psi - gap) / 2, 1 - psi]
    total = 0.0
    for b in range(n + 1):
        for c in range(n + 1 - b):
            if b + c and stats.chi2.sf((b - c) ** 2 / (b + c), 1) < alpha:
                total += stats.multinomial.pmf([b, c, n - b - c], n, cells)
    return total


def test_simulated_power_matches_exact_enumeration():
    exact = _exact_mcnemar_power(40, 0.1, 0.2)
    simulated = paired_power(40, 0.1, 0.3, discordance=0.2, n_sims=20000, seed=1)
    assert simulated == pytest.approx(exact, abs=4 * math.sqrt(exact * (1 - exact) / 20000))


def test_paired_answer_is_the_smallest_size_reaching_the_power():
    n = power_queries(0.11, 0.1, paired=True, discordance=0.15)
    assert paired_power(n, 0.11, 0.1, discordance=0.15) >= 0.8
    assert paired_power(n - 1, 0.11, 0.1, discordance=0.15) < 0.8


def test_lower_discordance_needs_fewer_pairs():
    assert power_queries(0.05, 0.1, paired=True, discordance=0.06) < power_queries(
        0.05, 0.1, paired=True, discordance=0.2
    )


def test_correlated_epochs_are_worth_less_than_new_queries():
    one = power_queries(0.11, 0.1, paired=True, icc=0.5)
    five = power_queries(0.11, 0.1, paired=True, epochs=5, icc=0.5)
    assert five < one < 5 * five


def test_clustered_power_matches_an_independent_simulation():
    # 20 queries x 5 epochs, intra-query correlation 0.6: re-simulated here with scipy's
    # beta quantiles and the Durkalski statistic written out by hand.
    queries, epochs, icc, p0, p1, sims = 20, 5, 0.6, 0.1, 0.21, 3000
    rng = np.random.default_rng(7)
    k = (1 - icc) / icc
    q = rng.random((sims, queries))
    t = stats.beta.ppf(q, p1 * k, (1 - p1) * k)
    u = stats.beta.ppf(q, p0 * k, (1 - p0) * k)
    d = rng.binomial(epochs, t) - rng.binomial(epochs, u)
    ss = (d.astype(float) ** 2).sum(1)
    tstat = np.where(ss > 0, d.sum(1) / np.sqrt(np.where(ss > 0, ss, 1)), 0.0)
    expected = np.mean(2 * stats.t.sf(np.abs(tstat), queries - 1) < 0.05)
    got = paired_power(queries, 0.11, 0.1, epochs=epochs, icc=icc, n_sims=sims, seed=3)
    assert got == pytest.approx(expected, abs=4 * math.sqrt(2 * 0.25 / sims))
    assert got < paired_power(queries * epochs, 0.11, 0.1, n_sims=sims)


def test_more_power_needs_more_queries():
    assert power_queries(0.1, 0.2, power=0.9) > power_queries(0.1, 0.2, power=0.8)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"gap": 0.0, "base_rate": 0.1}, "nonzero"),
        ({"gap": 0.2, "base_rate": 0.9}, "base_rate \\+ gap"),
        ({"gap": 0.1, "base_rate": 0.0}, "base_rate"),
        ({"gap": 0.1, "base_rate": 0.2, "paired": True, "discordance": 0.05}, "discordance"),
        ({"gap": 0.1, "base_rate": 0.2, "discordance": 0.3}, "paired"),
        ({"gap": 0.1, "base_rate": 0.2, "epochs": 3}, "paired"),
        ({"gap": 0.1, "base_rate": 0.2, "paired": True, "icc": 1.0}, "icc"),
        ({"gap": 0.1, "base_rate": 0.2, "paired": True, "epochs": 0}, "epochs"),
        ({"gap": 0.1, "base_rate": 0.2, "alpha": 1.5}, "alpha"),
    ],
)
def test_bad_parameters_are_named(kwargs, message):
    with pytest.raises(AnalysisError, match=message):
        power_queries(**kwargs)
