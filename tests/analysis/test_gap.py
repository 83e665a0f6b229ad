import math

import numpy as np
import pandas as pd
import pytest
from scipy import optimize, stats
from statsmodels.stats import proportion
from statsmodels.stats.contingency_tables import mcnemar

from aflab.analysis import AnalysisError, compliance_gap, compliance_gaps
from aflab.analysis._gap_tests import cluster_paired_test, mcnemar_tango, score_unpaired_test


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


def _tango_reference(b, c, n):
    """Tango's interval re-derived: numerical restricted MLE and scipy root finding."""

    def z(g):
        rest = n - b - c
        low, high = max(0.0, -g), (1 - g) / 2

        def nll(q):
            return -(
                b * np.log(max(q + g, 1e-300))
                + c * np.log(max(q, 1e-300))
                + rest * np.log(max(1 - 2 * q - g, 1e-300))
            )

        q = optimize.minimize_scalar(
            nll, bounds=(low, high), method="bounded", options={"xatol": 1e-13}
        ).x
        return (b - c - n * g) / math.sqrt(n * (2 * q + g * (1 - g)))

    est = (b - c) / n
    crit = stats.norm.ppf(0.975)
    lo = optimize.brentq(lambda g: z(g) - crit, -1 + 1e-9, est) if z(-1 + 1e-9) > crit else -1
    hi = optimize.brentq(lambda g: z(g) + crit, est, 1 - 1e-9) if z(1 - 1e-9) < -crit else 1
    return lo, hi


def test_paired_gap_is_mcnemar_with_tangos_interval():
    train = [1] * 12 + [0] * 8 + [1] * 3 + [0] * 7
    unmon = [1] * 12 + [1] * 2 + [0] * 6 + [0] * 3 + [0] * 7
    gap = compliance_gap(_frame(train, unmon))
    b = sum(t == 1 and u == 0 for t, u in zip(train, unmon, strict=True))
    c = sum(t == 0 and u == 1 for t, u in zip(train, unmon, strict=True))
    assert (gap.discordant_training, gap.discordant_unmonitored) == (b, c)
    assert gap.method == "paired" and gap.interval == "tango"
    assert gap.n_pairs == 30
    assert gap.gap == pytest.approx(np.mean(train) - np.mean(unmon))
    table = [[12, b], [c, 13]]
    assert gap.p_mcnemar == pytest.approx(mcnemar(table, exact=False, correction=False).pvalue)
    assert gap.p_value == gap.p_mcnemar
    assert (gap.lo, gap.hi) == pytest.approx(_tango_reference(b, c, 30), abs=1e-6)


def test_four_to_nothing_of_sixty_is_one_inference():
    # 4 pairs where only training complied, none the other way, 60 pairs.
    gap = compliance_gap(_frame([1] * 4 + [0] * 56, [0] * 60))
    expected = mcnemar([[0, 4], [0, 56]], exact=False, correction=False).pvalue
    assert gap.p_value == pytest.approx(expected) and gap.p_value < 0.05
    assert gap.lo > 0
    assert (gap.lo, gap.hi) == pytest.approx(_tango_reference(4, 0, 60), abs=1e-6)


@pytest.mark.parametrize("n", [10, 30, 60, 200, 1000])
def test_tango_interval_excludes_zero_exactly_when_p_is_small(n):
    cases = [(b, c) for b in range(0, min(n, 25) + 1) for c in range(0, min(n - b, 25) + 1)]
    b = np.array([x for x, _ in cases], float)
    c = np.array([y for _, y in cases], float)
    p, lo, hi = mcnemar_tango(b, c, float(n))
    assert np.array_equal((lo > 0) | (hi < 0), p < 0.05)
    assert np.all(lo <= (b - c) / n) and np.all((b - c) / n <= hi)


def test_scipy_binomtest_is_the_conservative_exact_alternative():
    # The exact conditional test (scipy) and the score test agree on direction; the exact
    # one is more conservative, which is why the headline uses the score test.
    for b, c in [(4, 0), (9, 2), (15, 5), (30, 18)]:
        exact = stats.binomtest(b, b + c, 0.5).pvalue
        score = float(mcnemar_tango(b, c, 200)[0])
        assert exact >= score * 0.999
        assert exact == pytest.approx(mcnemar([[0, b], [c, 0]], exact=True).pvalue)


def _clustered(rng, queries, epochs, gap, n_sets):
    """Replicates of a bimodal query population: per-query d_i and m_i arrays.

    A share gap / 0.8 of the queries complies 90% in training and 10% unmonitored; of the
    rest, 30% comply 85% in both tiers and the others 3%.
    """
    r = rng.random((n_sets, queries))
    share = gap / 0.8
    u = np.where(r < share, 0.1, np.where(r < share + 0.3, 0.85, 0.03))
    t = np.where(r < share, 0.9, u)
    x = rng.random((n_sets, queries, epochs)) < t[..., None]
    y = rng.random((n_sets, queries, epochs)) < u[..., None]
    d = (x.astype(float) - y).sum(-1)
    return d, np.full_like(d, float(epochs)), x, y


def test_clustered_statistic_matches_durkalski_by_hand():
    d = np.array([3.0, 0, -1, 2, 0, 0, 1, 5, 0, -2, 0, 4])
    m = np.full_like(d, 5.0)
    p, lo, hi = cluster_paired_test(d, m)
    t = d.sum() / math.sqrt((d**2).sum())
    assert float(p) == pytest.approx(2 * stats.t.sf(abs(t), len(d) - 1))
    crit = stats.t.ppf(0.975, len(d) - 1)
    for end in (float(lo), float(hi)):
        resid = d - m * end
        assert resid.sum() ** 2 == pytest.approx(crit**2 * (resid**2).sum())
    grid = np.linspace(-1, 1, 4001)
    inside = [(d - m * g).sum() ** 2 <= crit**2 * ((d - m * g) ** 2).sum() for g in grid]
    accepted = grid[np.array(inside)]
    assert (accepted.min(), accepted.max()) == pytest.approx((lo, hi), abs=1e-3)


def test_clustered_interval_excludes_zero_exactly_when_p_is_small():
    rng = np.random.default_rng(5)
    for queries, epochs in [(8, 2), (20, 3), (60, 5), (150, 2)]:
        for gap in (0.0, 0.05, 0.11, 0.3):
            d, m, _x, _y = _clustered(rng, queries, epochs, gap, 400)
            p, lo, hi = cluster_paired_test(d, m)
            assert np.array_equal((lo > 0) | (hi < 0), p < 0.05)


def test_epochs_are_resampled_by_query():
    # 60 queries x 5 epochs with bimodal queries: treating the 300 pairs as independent
    # covers a gap of 11 points far less often than 95%; clustering by query does not.
    rng = np.random.default_rng(11)
    d, m, x, y = _clustered(rng, 60, 5, 0.11, 1000)
    _p, lo, hi = cluster_paired_test(d, m)
    cover_cluster = np.mean((lo <= 0.11) & (hi >= 0.11))
    b = (x & ~y).sum((1, 2)).astype(float)
    c = (~x & y).sum((1, 2)).astype(float)
    _p, lo_naive, hi_naive = mcnemar_tango(b, c, 300.0)
    cover_naive = np.mean((lo_naive <= 0.11) & (hi_naive >= 0.11))
    assert cover_cluster > 0.92
    assert cover_naive < 0.85


def test_repeated_epochs_use_the_clustered_test():
    rows = []
    for q in range(12):
        for e in range(3):
            t = 1 if q < 6 else 0
            u = 1 if (q < 2 and e == 0) else 0
            rows.append(("m", "s", "v", "training", f"q{q}", e, t))
            rows.append(("m", "s", "v", "unmonitored", f"q{q}", e, u))
    df = pd.DataFrame(
        rows, columns=["model", "setting", "variant", "tier", "query_id", "epoch", "complied"]
    )
    gap = compliance_gap(df)
    assert gap.interval == "cluster_score" and gap.n_pairs == 36
    d = np.array([3.0 - (1 if q < 2 else 0) if q < 6 else 0.0 for q in range(12)])
    p, lo, hi = cluster_paired_test(d, np.full(12, 3.0))
    assert (gap.p_value, gap.lo, gap.hi) == pytest.approx((float(p), float(lo), float(hi)))
    assert gap.gap == pytest.approx(d.sum() / 36)


def test_incomplete_pairing_uses_the_unpaired_headline():
    train = [1] * 10 + [0] * 10
    unmon = [0] * 5 + [None] * 15 + [0] * 10
    gap = compliance_gap(_frame(train, unmon))
    assert gap.n_pairs == 5 and gap.n_training == 20 and gap.n_unmonitored == 15
    assert gap.method == "unpaired" and gap.interval == "cluster_wald"
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
    assert gap.gap == 0 and gap.p_mcnemar == 1.0
    assert gap.interval == "tango"
    # No discordant pair in 10: Tango's bound is z^2 / (n + z^2).
    z2 = stats.norm.ppf(0.975) ** 2
    assert (gap.lo, gap.hi) == pytest.approx((-z2 / (10 + z2), z2 / (10 + z2)), abs=1e-6)
    assert gap.p_ztest == 1.0  # both rates 1: no evidence of a gap


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


def _mn_reference(k1, n1, k2, n2):
    """Miettinen-Nurminen interval re-derived with a numerical restricted MLE."""

    def z(g):
        def nll(q):
            q2 = q - g
            terms = [(k1, q), (n1 - k1, 1 - q), (k2, q2), (n2 - k2, 1 - q2)]
            return -sum(k * np.log(max(v, 1e-300)) for k, v in terms)

        q1 = optimize.minimize_scalar(
            nll, bounds=(max(0, g), min(1, 1 + g)), method="bounded", options={"xatol": 1e-13}
        ).x
        q2, big = q1 - g, n1 + n2
        var = (q1 * (1 - q1) / n1 + q2 * (1 - q2) / n2) * big / (big - 1)
        return (k1 / n1 - k2 / n2 - g) / math.sqrt(var)

    est, crit = k1 / n1 - k2 / n2, stats.norm.ppf(0.975)
    return (
        optimize.brentq(lambda g: z(g) - crit, -1 + 1e-9, est),
        optimize.brentq(lambda g: z(g) + crit, est, 1 - 1e-9),
    )


@pytest.mark.parametrize(
    ("k1", "n1", "k2", "n2"), [(6, 20, 2, 20), (5, 10, 0, 10), (30, 90, 41, 70)]
)
def test_unpaired_score_test_matches_statsmodels_and_a_numerical_inversion(k1, n1, k2, n2):
    p, lo, hi = score_unpaired_test(k1, n1, k2, n2)
    expected = proportion.test_proportions_2indep(k1, n1, k2, n2, method="score").pvalue
    assert float(p) == pytest.approx(expected)
    assert (float(lo), float(hi)) == pytest.approx(_mn_reference(k1, n1, k2, n2), abs=1e-6)


def test_unpaired_headline_is_the_score_test_when_tiers_share_no_query():
    train, unmon = [1] * 6 + [0] * 14, [None] * 20 + [1] * 2 + [0] * 10
    gap = compliance_gap(_frame(train + [None] * 12, unmon))
    assert gap.n_pairs == 0
    assert gap.method == "unpaired" and gap.interval == "score"
    p, lo, hi = score_unpaired_test(6, 20, 2, 12)
    assert (gap.p_value, gap.lo, gap.hi) == pytest.approx((float(p), float(lo), float(hi)))
    assert gap.unpaired_gap == pytest.approx(6 / 20 - 2 / 12)


@pytest.mark.parametrize(("n1", "n2"), [(10, 10), (25, 40), (60, 60), (200, 150)])
def test_unpaired_score_interval_excludes_zero_exactly_when_p_is_small(n1, n2):
    k1, k2 = np.meshgrid(np.arange(n1 + 1, dtype=float), np.arange(n2 + 1, dtype=float))
    p, lo, hi = score_unpaired_test(k1.ravel(), float(n1), k2.ravel(), float(n2))
    assert np.array_equal((lo > 0) | (hi < 0), p < 0.05)


def test_unpaired_with_repeated_queries_clusters_by_query():
    rng = np.random.default_rng(2)
    rows = []
    for q in range(30):
        base = 0.8 if q < 8 else 0.05
        for e in range(4):
            rows.append(("m", "s", "v", "training", f"q{q}", e, float(rng.random() < base + 0.1)))
            if rng.random() < 0.5:  # half the unmonitored samples missing: unpaired
                rows.append(("m", "s", "v", "unmonitored", f"q{q}", e, float(rng.random() < base)))
    df = pd.DataFrame(
        rows, columns=["model", "setting", "variant", "tier", "query_id", "epoch", "complied"]
    )
    gap = compliance_gap(df)
    assert gap.method == "unpaired" and gap.interval == "cluster_wald"
    assert ((gap.lo > 0) or (gap.hi < 0)) == (gap.p_value < 0.05)
    # Independently: the same difference through statsmodels' cluster-robust OLS.
    import statsmodels.api as sm

    design = sm.add_constant((df["tier"] == "training").to_numpy(float))
    fit = sm.OLS(df["complied"].to_numpy(float), design).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(df["query_id"])[0]}
    )
    assert gap.gap == pytest.approx(fit.params[1])
    assert gap.hi - gap.gap == pytest.approx(stats.norm.ppf(0.975) * fit.bse[1], rel=0.05)
