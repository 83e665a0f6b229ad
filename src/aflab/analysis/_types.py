"""Result types and errors of the analysis package."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "AnalysisError",
    "Gap",
    "GapMethod",
    "IntervalMethod",
    "LogReadError",
    "Rate",
    "TierBreakdown",
]

GapMethod = Literal["paired", "unpaired", "none"]
"""Which test carries a gap's headline: McNemar on pairs, the z-test, or none (no data)."""

IntervalMethod = Literal["tango", "cluster_score", "score", "cluster_wald", "none"]
"""Which test a gap's p-value and interval come from (the interval inverts the test): paired
McNemar/Tango, paired clustered by query, unpaired Miettinen-Nurminen score, unpaired Wald with
a query-clustered standard error (see `aflab.analysis.compliance_gap`)."""


class AnalysisError(ValueError):
    """Input that the analysis cannot use (missing columns, impossible parameters)."""


class LogReadError(AnalysisError):
    """A log that cannot be read, or that is not an aflab log."""


@dataclass(frozen=True)
class Rate:
    """A proportion with its Wilson 95% interval.

    Attributes:
        k: Number of successes.
        n: Number of trials (scored samples).
        p: k / n, NaN when n is 0.
        lo: Lower end of the 95% Wilson interval, NaN when n is 0.
        hi: Upper end of the 95% Wilson interval, NaN when n is 0.
    """

    k: int
    n: int
    p: float
    lo: float
    hi: float

    @property
    def defined(self) -> bool:
        """The rate has at least one trial."""
        return self.n > 0 and not math.isnan(self.p)


@dataclass(frozen=True)
class TierBreakdown:
    """How the scored samples of one tier split (the paper's stacked bars).

    The three rates share the denominator `refuses.n` (samples with a compliance score).
    A complying sample whose alignment-faking label is missing counts in neither comply
    rate; `complies_af_unscored` says how many there were.

    Attributes:
        tier: `training` or `unmonitored`.
        refuses: Samples that did not comply.
        complies_af: Samples that complied with alignment-faking reasoning.
        complies_no_af: Samples that complied without it.
        complies_af_unscored: Complying samples without an alignment-faking label.
        unscored: Samples without a compliance score (left out of every rate).
        complies_af_full: Of `complies_af`, those that complied fully (not partial): the
            paper's headline alignment-faking rate.
        complies_af_partial: Of `complies_af`, those that complied only partly.
    """

    tier: str
    refuses: Rate
    complies_af: Rate
    complies_no_af: Rate
    complies_af_unscored: int
    unscored: int
    complies_af_full: Rate | None = None
    complies_af_partial: Rate | None = None


@dataclass(frozen=True)
class Gap:
    """The compliance gap P(comply | training) - P(comply | unmonitored) of one condition.

    Attributes:
        model: Model name.
        setting: Setting name.
        variant: Variant spec.
        gap: Headline estimate (from pairs when `method` is `paired`, else from all samples).
        lo: Lower end of the headline 95% interval.
        hi: Upper end of the headline 95% interval.
        method: Which analysis the headline uses.
        interval: Which test gives the headline p-value and interval (they agree: the
            interval excludes 0 exactly when `p_value` < 0.05).
        p_value: Headline p-value (`p_mcnemar` when paired, `p_ztest` when unpaired).
        training: Compliance rate in the training tier (all scored samples).
        unmonitored: Compliance rate in the unmonitored tier (all scored samples).
        n_training: Scored training samples.
        n_unmonitored: Scored unmonitored samples.
        n_pairs: Complete (query_id, epoch) pairs with both tiers scored.
        n_unscored: Samples left out because their compliance is unscored.
        discordant_training: Pairs where only the training sample complied.
        discordant_unmonitored: Pairs where only the unmonitored sample complied.
        paired_gap: Mean paired difference (NaN without pairs).
        paired_lo: Lower end of the paired 95% interval (Tango, or query-clustered when
            queries repeat over epochs; NaN without pairs).
        paired_hi: Upper end of the paired 95% interval.
        p_mcnemar: Paired p-value: McNemar's score test, cluster-adjusted by query
            (Durkalski et al. 2003) when queries repeat over epochs.
        unpaired_gap: Difference of the two tiers' rates over all scored samples.
        unpaired_lo: Lower end of the unpaired 95% interval (Miettinen-Nurminen, or Wald
            with a query-clustered standard error when queries repeat).
        unpaired_hi: Upper end of the unpaired 95% interval.
        p_ztest: Unpaired p-value from the same test as the unpaired interval (1 when both
            rates are 0 or both 1).
        p_holm: Headline p-value after Holm adjustment across a report, when adjusted.
    """

    model: str
    setting: str
    variant: str
    gap: float
    lo: float
    hi: float
    method: GapMethod
    interval: IntervalMethod
    p_value: float
    training: Rate
    unmonitored: Rate
    n_training: int
    n_unmonitored: int
    n_pairs: int
    n_unscored: int
    discordant_training: int
    discordant_unmonitored: int
    paired_gap: float
    paired_lo: float
    paired_hi: float
    p_mcnemar: float
    unpaired_gap: float
    unpaired_lo: float
    unpaired_hi: float
    p_ztest: float
    p_holm: float | None = None
