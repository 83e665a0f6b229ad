"""How many queries per tier an experiment needs to detect a compliance gap."""

from __future__ import annotations

import math

import numpy as np

from aflab.analysis._gap_tests import cluster_paired_test
from aflab.analysis._types import AnalysisError

__all__ = ["paired_power", "power_queries"]

MAX_QUERIES = 100_000
"""Largest design the paired search considers."""


def _check_probability(name: str, value: float) -> None:
    if not 0.0 < value < 1.0:
        raise AnalysisError(f"{name} must lie strictly between 0 and 1, got {value}")


def _independent_discordance(p0: float, p1: float) -> float:
    return p1 * (1 - p0) + p0 * (1 - p1)


def _query_rates(
    rng: np.random.Generator, p0: float, p1: float, icc: float, shape: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray]:
    """Per-query compliance (training, unmonitored): Beta with intra-query correlation `icc`.

    Both tiers share the query's quantile (a query that complies readily does so in both).
    """
    if icc == 0:
        return np.full(shape, p1), np.full(shape, p0)
    from scipy import stats

    strength = (1 - icc) / icc
    quantile = rng.random(shape)
    u = stats.beta.ppf(quantile, p0 * strength, (1 - p0) * strength)
    t = stats.beta.ppf(quantile, p1 * strength, (1 - p1) * strength)
    return np.asarray(t, float), np.asarray(u, float)


def paired_power(
    queries: int,
    gap: float,
    base_rate: float,
    *,
    alpha: float = 0.05,
    discordance: float | None = None,
    epochs: int = 1,
    icc: float = 0.0,
    n_sims: int = 2000,
    seed: int = 0,
) -> float:
    """Simulated power of the paired test `compliance_gap` reports.

    One epoch and no intra-query correlation: pairs are multinomial with discordant cells
    (psi + gap) / 2 and (psi - gap) / 2, psi = `discordance` (default: independent tiers).
    Otherwise each query draws its compliance in both tiers from Beta distributions with
    intra-class correlation `icc` (sharing the query's quantile), and each epoch answers
    independently given the query. The test is the one the analysis applies: McNemar's score
    test for one epoch, the query-clustered (Durkalski) test for several; the share of
    simulated experiments with p < `alpha` is the power.

    Args:
        queries: Queries, each asked in both tiers `epochs` times.
        gap: P(comply | training) - P(comply | unmonitored).
        base_rate: P(comply | unmonitored).
        alpha: Two-sided level.
        discordance: Share of discordant pairs (one epoch, `icc` 0 only).
        epochs: Epochs per query.
        icc: Intra-query correlation of compliance in [0, 1).
        n_sims: Simulated experiments.
        seed: Seed.

    Returns:
        Estimated power (Monte Carlo standard error about sqrt(p (1 - p) / n_sims)).
    """
    p0, p1 = base_rate, base_rate + gap
    rng = np.random.default_rng(seed)
    if epochs == 1 and icc == 0:
        psi = _independent_discordance(p0, p1) if discordance is None else discordance
        cells = [(psi + gap) / 2, (psi - gap) / 2, 1 - psi]
        counts = rng.multinomial(queries, cells, size=n_sims).astype(float)
        b, c = counts[:, 0], counts[:, 1]
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.where(b + c > 0, (b - c) / np.sqrt(b + c), 0.0)
        from scipy.special import ndtr

        return float(np.mean(2 * ndtr(-np.abs(z)) < alpha))
    rejected = 0
    batch = max(1, min(n_sims, 20_000_000 // max(1, queries * epochs)))
    for start in range(0, n_sims, batch):
        size = min(batch, n_sims - start)
        t, u = _query_rates(rng, p0, p1, icc, (size, queries))
        x = rng.binomial(epochs, t)
        y = rng.binomial(epochs, u)
        if epochs == 1:
            b = ((x == 1) & (y == 0)).sum(-1).astype(float)
            c = ((x == 0) & (y == 1)).sum(-1).astype(float)
            with np.errstate(divide="ignore", invalid="ignore"):
                z = np.where(b + c > 0, (b - c) / np.sqrt(b + c), 0.0)
            from scipy.special import ndtr

            p = 2 * ndtr(-np.abs(z))
        else:
            # Only the per-query sums matter for the clustered test; both tiers' epoch
            # answers are independent given the query, so sums of binomials suffice.
            d = (x - y).astype(float)
            p, _lo, _hi = cluster_paired_test(d, np.full_like(d, float(epochs)))
        rejected += int(np.sum(p < alpha))
    return rejected / n_sims


def _connor(gap: float, psi: float, alpha: float, power: float) -> int:
    from scipy.stats import norm

    z_a, z_b = float(norm.ppf(1 - alpha / 2)), float(norm.ppf(power))
    return math.ceil((z_a * math.sqrt(psi) + z_b * math.sqrt(psi - gap**2)) ** 2 / gap**2)


def power_queries(
    gap: float,
    base_rate: float,
    alpha: float = 0.05,
    power: float = 0.8,
    paired: bool = False,
    discordance: float | None = None,
    *,
    epochs: int = 1,
    icc: float = 0.0,
    n_sims: int = 2000,
    seed: int = 0,
) -> int:
    """Queries per tier needed to detect a compliance gap with a two-sided test.

    Unpaired (each tier its own queries): statsmodels `NormalIndPower` on Cohen's h from
    `proportion_effectsize(base_rate + gap, base_rate)`, equal group sizes.

    Paired (each query asked in both tiers): the smallest number of queries whose simulated
    power (`paired_power`, the test the analysis reports, optionally with epochs and an
    intra-query correlation) reaches `power`. The search starts from Connor's (1987) normal
    approximation, which is optimistic for small discordant counts. Without `discordance` or
    `icc` the tiers of a query are taken as independent; real tiers are positively
    correlated, so measured discordance is usually lower and the paired n smaller.

    Args:
        gap: Expected P(comply | training) - P(comply | unmonitored), nonzero.
        base_rate: Expected P(comply | unmonitored).
        alpha: Two-sided significance level.
        power: Wanted probability of detecting the gap.
        paired: Use the paired calculation.
        discordance: Share of discordant pairs (paired, one epoch, no `icc`; |gap| <= psi <= 1).
        epochs: Epochs per query (paired only).
        icc: Intra-query correlation of compliance in [0, 1) (paired only).
        n_sims: Simulated experiments per candidate size (paired only).
        seed: Simulation seed (paired only).

    Returns:
        Queries per tier (rounded up).

    Raises:
        AnalysisError: Parameters out of range.

    Examples:
        >>> power_queries(0.05, 0.1)
        681
        >>> power_queries(0.05, 0.1, paired=True, discordance=0.1)
        304
    """
    p0, p1 = base_rate, base_rate + gap
    _check_probability("base_rate", p0)
    _check_probability("base_rate + gap", p1)
    _check_probability("alpha", alpha)
    _check_probability("power", power)
    if gap == 0:
        raise AnalysisError("gap must be nonzero: a zero gap cannot be detected")
    if not paired:
        if discordance is not None or epochs != 1 or icc != 0:
            raise AnalysisError("discordance, epochs and icc apply only to the paired calculation")
        from statsmodels.stats.power import NormalIndPower
        from statsmodels.stats.proportion import proportion_effectsize

        effect = proportion_effectsize(p1, p0)
        n = NormalIndPower().solve_power(
            effect_size=effect, alpha=alpha, power=power, ratio=1.0, alternative="two-sided"
        )
        return math.ceil(float(n))
    if epochs < 1:
        raise AnalysisError(f"epochs must be at least 1, got {epochs}")
    if not 0.0 <= icc < 1.0:
        raise AnalysisError(f"icc must lie in [0, 1), got {icc}")
    if n_sims < 100:
        raise AnalysisError(f"n_sims must be at least 100, got {n_sims}")
    psi = _independent_discordance(p0, p1) if discordance is None else discordance
    if discordance is not None and (epochs != 1 or icc != 0):
        raise AnalysisError("discordance applies to one epoch without icc; give icc instead")
    if not abs(gap) <= psi <= 1:
        raise AnalysisError(f"discordance must lie in [|gap|, 1] = [{abs(gap)}, 1], got {psi}")

    def reaches(n: int) -> bool:
        achieved = paired_power(
            n,
            gap,
            base_rate,
            alpha=alpha,
            discordance=discordance,
            epochs=epochs,
            icc=icc,
            n_sims=n_sims,
            seed=seed,
        )
        return achieved >= power

    low, high = 1, max(2, _connor(gap, psi, alpha, power) // epochs)
    while not reaches(high):
        low, high = high, high * 2
        if high > MAX_QUERIES:
            raise AnalysisError(f"more than {MAX_QUERIES} queries would be needed")
    while high - low > 1:
        mid = (low + high) // 2
        if reaches(mid):
            high = mid
        else:
            low = mid
    return high
