"""How many queries per tier an experiment needs to detect a compliance gap."""

from __future__ import annotations

import math

from aflab.analysis._types import AnalysisError

__all__ = ["power_queries"]


def _check_probability(name: str, value: float) -> None:
    if not 0.0 < value < 1.0:
        raise AnalysisError(f"{name} must lie strictly between 0 and 1, got {value}")


def power_queries(
    gap: float,
    base_rate: float,
    alpha: float = 0.05,
    power: float = 0.8,
    paired: bool = False,
    discordance: float | None = None,
) -> int:
    """Queries per tier needed to detect a compliance gap with a two-sided test.

    Unpaired (each tier its own samples): statsmodels `NormalIndPower` on Cohen's h from
    `proportion_effectsize(base_rate + gap, base_rate)`, equal group sizes.

    Paired (each query asked in both tiers, McNemar's test): the normal approximation of
    Connor (1987), n = (z_{1-alpha/2} sqrt(psi) + z_{power} sqrt(psi - gap^2))^2 / gap^2,
    where psi is the share of discordant pairs. Without `discordance`, psi assumes the two
    answers to a query are independent: p1 (1 - p0) + p0 (1 - p1). Real tiers are positively
    correlated, so measured discordance is usually lower and the paired n smaller.

    Args:
        gap: Expected P(comply | training) - P(comply | unmonitored), nonzero.
        base_rate: Expected P(comply | unmonitored).
        alpha: Two-sided significance level.
        power: Wanted probability of detecting the gap.
        paired: Use the paired (McNemar) calculation.
        discordance: Share of discordant pairs for the paired calculation (|gap| <= psi <= 1).

    Returns:
        Queries per tier (rounded up).

    Raises:
        AnalysisError: Parameters out of range.

    Examples:
        >>> power_queries(0.05, 0.1)
        681
        >>> power_queries(0.05, 0.1, paired=True, discordance=0.1)
        312
    """
    p0, p1 = base_rate, base_rate + gap
    _check_probability("base_rate", p0)
    _check_probability("base_rate + gap", p1)
    _check_probability("alpha", alpha)
    _check_probability("power", power)
    if gap == 0:
        raise AnalysisError("gap must be nonzero: a zero gap cannot be detected")
    if not paired:
        if discordance is not None:
            raise AnalysisError("discordance applies only to the paired calculation")
        from statsmodels.stats.power import NormalIndPower
        from statsmodels.stats.proportion import proportion_effectsize

        effect = proportion_effectsize(p1, p0)
        n = NormalIndPower().solve_power(
            effect_size=effect, alpha=alpha, power=power, ratio=1.0, alternative="two-sided"
        )
        return math.ceil(float(n))
    from scipy.stats import norm

    psi = p1 * (1 - p0) + p0 * (1 - p1) if discordance is None else discordance
    if not abs(gap) <= psi <= 1:
        raise AnalysisError(f"discordance must lie in [|gap|, 1] = [{abs(gap)}, 1], got {psi}")
    z_a, z_b = norm.ppf(1 - alpha / 2), norm.ppf(power)
    n = (z_a * math.sqrt(psi) + z_b * math.sqrt(psi - gap**2)) ** 2 / gap**2
    return math.ceil(float(n))
