"""Coverage of the pooled compliance gap's 95% interval over paraphrases, by simulation.

Each simulated run asks the same queries under k wordings of the system prompt. A query has
its own propensity to comply (shared by every wording and both tiers), a wording shifts it
and has its own gap (drawn around the true mean gap with spread tau on the logit scale),
and each (query, wording, tier) sample complies at random. The estimand is the mean gap of
the population of wordings, averaged over the population of queries, computed once per
scenario from a large draw. The script prints the coverage of the shipped interval
(`aflab.analysis.random_effects`) next to the plain normal random-effects interval, per
scenario, and the overall coverage of the shipped interval as its last line.

Run: python benchmarks/paraphrase_pooling.py [--sims 400]
"""

from __future__ import annotations

import argparse
import warnings

import numpy as np
from scipy.special import expit
from statsmodels.stats.meta_analysis import combine_effects, effectsize_2proportions

from aflab.analysis import random_effects

SCENARIOS = [
    # (wordings k, queries n, mean gap on the logit scale, spread tau of the gap, wording shift)
    (2, 100, 0.8, 0.0, 0.3),
    (2, 100, 0.8, 0.5, 0.3),
    (3, 100, 0.8, 0.5, 0.3),
    (5, 100, 0.8, 0.0, 0.3),
    (5, 100, 0.8, 0.5, 0.3),
    (5, 50, 0.0, 0.3, 0.5),
    (8, 100, 0.8, 0.5, 0.3),
    (8, 200, 0.4, 1.0, 0.5),
]
QUERY_SD = 1.5
BASE = -0.5


def _truth(mu: float, tau: float, shift: float, rng: np.random.Generator) -> float:
    """Mean gap over many wordings and queries."""
    a = rng.normal(BASE, QUERY_SD, 4000)[None, :]
    b = rng.normal(0, shift, 4000)[:, None]
    g = rng.normal(mu, tau, 4000)[:, None] if tau else mu
    return float(np.mean(expit(a + b + g) - expit(a + b)))


def _counts(
    k: int, n: int, mu: float, tau: float, shift: float, rng: np.random.Generator
) -> np.ndarray:
    a = rng.normal(BASE, QUERY_SD, n)[None, :]
    b = rng.normal(0, shift, k)[:, None]
    g = rng.normal(mu, tau, k)[:, None] if tau else mu
    train = rng.random((k, n)) < expit(a + b + g)
    unmon = rng.random((k, n)) < expit(a + b)
    return np.column_stack([train.sum(1), np.full(k, n), unmon.sum(1), np.full(k, n)]).astype(float)


def _normal_interval(counts: np.ndarray) -> tuple[float, float]:
    effect, variance = effectsize_2proportions(*counts.T, statistic="diff", zero_correction=0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        result = combine_effects(effect, variance, method_re="iterated")
        lo, hi = result.conf_int(use_t=False)[1]
    return float(lo), float(hi)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sims", type=int, default=400, help="runs per scenario")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    hits = total = 0
    print(f"{'k':>3} {'n':>4} {'gap':>6} {'tau':>4} | shipped  width | normal-RE  width")
    for k, n, mu, tau, shift in SCENARIOS:
        truth = _truth(mu, tau, shift, rng)
        shipped = normal = 0
        width_s = width_n = 0.0
        for _ in range(args.sims):
            counts = _counts(k, n, mu, tau, shift, rng)
            pooled = random_effects(counts)
            shipped += pooled.lo <= truth <= pooled.hi
            width_s += pooled.hi - pooled.lo
            lo, hi = _normal_interval(counts)
            normal += lo <= truth <= hi
            width_n += hi - lo
        hits += shipped
        total += args.sims
        print(
            f"{k:>3} {n:>4} {truth:>6.3f} {tau:>4.1f} | {shipped / args.sims:>7.3f} "
            f"{width_s / args.sims:>6.3f} | {normal / args.sims:>9.3f} {width_n / args.sims:>6.3f}"
        )
    print(f"pooled-gap 95% interval coverage (all scenarios, {total} runs): {hits / total:.3f}")


if __name__ == "__main__":
    main()
