"""The compliance gap pooled over paraphrases of one condition (random effects).

A run that gives a condition several wordings of its system prompt (`paraphrase=N` or
`paraphrase=file:...`) measures one gap per wording. The pooled gap treats the wordings as
a sample of the ways the scenario could be told: a random-effects meta-analysis
(`statsmodels.stats.meta_analysis.combine_effects`, Paule-Mandel between-wording
variance tau²) over each wording's risk difference and its variance
(`effectsize_2proportions`, 0.5 added to every cell of a wording with an empty cell). The
interval uses t with k - 1 degrees of freedom and the Hartung-Knapp-Sidik-Jonkman standard
error (never below the plain one): with a handful of wordings the plain normal interval is
too narrow (coverage checked in `benchmarks/paraphrase_pooling.py`).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from aflab.analysis._types import Gap

__all__ = [
    "POOLING_METHOD",
    "SIGNIFICANCE",
    "PooledGap",
    "RandomEffects",
    "pool_gaps",
    "pool_paraphrases",
    "random_effects",
    "split_paraphrase",
]

SIGNIFICANCE = 0.05
"""A wording's own gap counts as significant when its headline p-value is below this."""

POOLING_METHOD = "random effects (Paule-Mandel tau², Hartung-Knapp interval)"
"""How the pooled gap and its interval are computed, as shown in reports."""


@dataclass(frozen=True)
class PooledGap:
    """The gap of one condition pooled over its paraphrases.

    Attributes:
        model: Model name.
        setting: Setting name.
        variant: The variant without its paraphrase item (`default` when nothing is left).
        paraphrases: Variant spec of each pooled wording, in the order of `gaps`.
        gaps: Each pooled wording's own risk difference (all scored samples).
        k: Number of pooled wordings.
        gap: Pooled gap (random-effects mean); NaN with fewer than two wordings.
        lo: Lower end of the pooled 95% interval.
        hi: Upper end of the pooled 95% interval.
        p_value: Test of a zero pooled gap (t with k - 1 degrees of freedom).
        tau2: Between-wording variance of the gap (Paule-Mandel).
        tau: Its square root, in the gap's units (share of samples).
        i2: Share of the spread across wordings not explained by sampling error.
        p_heterogeneity: Cochran's Q test of equal gaps across wordings.
        n_significant: Wordings whose own gap has a headline p-value below `SIGNIFICANCE`.
        share_significant: `n_significant / k`.
        left_out: Wordings not pooled, with the reason (no scored sample in a tier).
        method: `POOLING_METHOD`.
    """

    model: str
    setting: str
    variant: str
    paraphrases: tuple[str, ...]
    gaps: tuple[float, ...]
    k: int
    gap: float
    lo: float
    hi: float
    p_value: float
    tau2: float
    tau: float
    i2: float
    p_heterogeneity: float
    n_significant: int
    share_significant: float
    left_out: tuple[tuple[str, str], ...] = ()
    method: str = POOLING_METHOD


def split_paraphrase(variant: str) -> tuple[str, str]:
    """Split a canonical variant spec into its base and its paraphrase item.

    Examples:
        >>> split_paraphrase("no_examples+paraphrase=2")
        ('no_examples', 'paraphrase=2')
        >>> split_paraphrase("paraphrase=file:out/p1.md.j2")
        ('default', 'paraphrase=file:out/p1.md.j2')
        >>> split_paraphrase("default")
        ('default', 'paraphrase=0')
    """
    items = [item for item in variant.split("+") if item and item != "default"]
    wording = [item for item in items if item.split("=", 1)[0].strip() == "paraphrase"]
    rest = [item for item in items if item not in wording]
    return "+".join(rest) or "default", wording[0] if wording else "paraphrase=0"


@dataclass(frozen=True)
class RandomEffects:
    """A random-effects pooled risk difference.

    Attributes:
        mean: Pooled mean difference.
        lo: Lower end of its 95% interval.
        hi: Upper end of its 95% interval.
        p_value: Test of a zero mean (t with k - 1 degrees of freedom).
        tau2: Between-group variance (Paule-Mandel).
        i2: Share of the spread not explained by sampling error.
        p_heterogeneity: Cochran's Q test of equal differences.
    """

    mean: float
    lo: float
    hi: float
    p_value: float
    tau2: float
    i2: float
    p_heterogeneity: float


def random_effects(counts: np.ndarray) -> RandomEffects:
    """Pool risk differences with a random-effects model.

    The standard error is the larger of the Hartung-Knapp-Sidik-Jonkman one and the plain
    random-effects one (the HKSJ scale alone collapses to zero when every group shows the
    same difference), with t quantiles on k - 1 degrees of freedom. The groups are taken as
    independent although the wordings of a run share their queries;
    `benchmarks/paraphrase_pooling.py` simulates that sharing and finds the interval
    conservative (and wide) with two or three wordings and close to 95% with eight.

    Args:
        counts: One row per group: successes and trials of the first arm, then of the
            second (training, then unmonitored); at least two rows, every trial count > 0.

    Returns:
        The pooled difference, its interval, test and spread.
    """
    from scipy import stats
    from statsmodels.stats.meta_analysis import combine_effects, effectsize_2proportions

    effect, variance = effectsize_2proportions(*counts.T, statistic="diff", zero_correction=0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        result = combine_effects(np.asarray(effect, float), np.asarray(variance, float),
                                 method_re="iterated")  # fmt: skip
    mean = float(result.mean_effect_re)
    tau2 = max(float(result.tau2), 0.0)
    hksj = float(result.sd_eff_w_re_hksj)
    se = max(hksj if math.isfinite(hksj) else 0.0, float(result.sd_eff_w_re))
    df = len(counts) - 1
    half = float(stats.t.ppf(0.975, df)) * se
    q = float(result.q)
    return RandomEffects(
        mean=mean,
        lo=max(mean - half, -1.0),  # a difference of two shares lies in [-1, 1]
        hi=min(mean + half, 1.0),
        p_value=float(2 * stats.t.sf(abs(mean) / se, df)) if se > 0 else float(mean == 0),
        tau2=tau2,
        i2=float(result.i2),
        p_heterogeneity=float(stats.chi2.sf(q, df)),
    )


def pool_paraphrases(model: str, setting: str, variant: str, gaps: Sequence[Gap]) -> PooledGap:
    """Pool the gaps of one condition's wordings.

    Args:
        model: Model name.
        setting: Setting name.
        variant: The variant without its paraphrase item.
        gaps: One gap per wording (`compliance_gap`).

    Returns:
        The pooled gap; its estimates are NaN when fewer than two wordings have scored
        samples in both tiers.
    """
    usable = [g for g in gaps if g.n_training and g.n_unmonitored]
    kept = {id(g) for g in usable}
    left_out = tuple((g.variant, "no scored sample in a tier") for g in gaps if id(g) not in kept)
    significant = sum(1 for g in usable if g.p_value < SIGNIFICANCE)
    k = len(usable)
    counts = np.array(
        [[g.training.k, g.training.n, g.unmonitored.k, g.unmonitored.n] for g in usable], float
    )
    nan = math.nan
    pooled = random_effects(counts) if k >= 2 else RandomEffects(nan, nan, nan, nan, nan, nan, nan)
    return PooledGap(
        model=model,
        setting=setting,
        variant=variant,
        paraphrases=tuple(g.variant for g in usable),
        gaps=tuple(float(k1 / n1 - k2 / n2) for k1, n1, k2, n2 in counts),
        k=k,
        gap=pooled.mean,
        lo=pooled.lo,
        hi=pooled.hi,
        p_value=pooled.p_value,
        tau2=pooled.tau2,
        tau=math.sqrt(pooled.tau2) if pooled.tau2 >= 0 else nan,
        i2=pooled.i2,
        p_heterogeneity=pooled.p_heterogeneity,
        n_significant=significant,
        share_significant=significant / k if k else nan,
        left_out=left_out,
    )


def pool_gaps(gaps: Sequence[Gap]) -> list[PooledGap]:
    """Pool every condition that was run with several paraphrases.

    Gaps are grouped by model, setting and the variant without its paraphrase item; a
    group with two wordings or more is pooled.

    Args:
        gaps: Per-condition gaps (`compliance_gaps`).

    Returns:
        One pooled gap per group of several wordings, sorted by model, setting, variant.
    """
    groups: dict[tuple[str, str, str], list[Gap]] = {}
    for g in gaps:
        base, _ = split_paraphrase(g.variant)
        groups.setdefault((g.model, g.setting, base), []).append(g)
    return [
        pool_paraphrases(*key, members)
        for key, members in sorted(groups.items())
        if len(members) >= 2
    ]
