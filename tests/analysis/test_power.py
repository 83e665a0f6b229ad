import math

import pytest
from scipy.stats import norm
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_effectsize

from aflab.analysis import AnalysisError, power_queries


def test_unpaired_matches_statsmodels():
    h = proportion_effectsize(0.15, 0.10)
    expected = NormalIndPower().solve_power(effect_size=h, alpha=0.05, power=0.8, ratio=1.0)
    assert power_queries(0.05, 0.10) == math.ceil(expected)


def test_paired_follows_connor_formula():
    psi, gap = 0.1, 0.05
    n = (norm.ppf(0.975) * psi**0.5 + norm.ppf(0.8) * (psi - gap**2) ** 0.5) ** 2 / gap**2
    assert power_queries(gap, 0.1, paired=True, discordance=psi) == math.ceil(n)


def test_lower_discordance_needs_fewer_pairs():
    assert power_queries(0.05, 0.1, paired=True, discordance=0.06) < power_queries(
        0.05, 0.1, paired=True, discordance=0.2
    )


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
        ({"gap": 0.1, "base_rate": 0.2, "alpha": 1.5}, "alpha"),
    ],
)
def test_bad_parameters_are_named(kwargs, message):
    with pytest.raises(AnalysisError, match=message):
        power_queries(**kwargs)
