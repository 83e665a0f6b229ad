"""Result types of the second-frame analysis (`aflab.analysis._frames`)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from aflab.analysis._types import Gap, Rate

__all__ = [
    "ChannelRow",
    "InterviewRow",
    "ReadingRow",
    "SuspicionRow",
    "ValueProfile",
    "VariantAxes",
]


@dataclass(frozen=True)
class VariantAxes:
    """Channel and salience of the training facts in one variant.

    Attributes:
        channel: Where the new intent is stated: system, user, document or news.
        test_disclosed: The prompt says openly that the scenario is a test.
        think_situation: The model is told to analyse its situation first.
        facts: Placement of the training facts: default, front or buried.
    """

    channel: str = "system"
    test_disclosed: bool = False
    think_situation: bool = True
    facts: str = "default"

    @property
    def group(self) -> str:
        """The channel, or `test_disclosed` when the test is disclosed."""
        return "test_disclosed" if self.test_disclosed else self.channel


@dataclass(frozen=True)
class ValueProfile:
    """What one model does when one value is at stake.

    Attributes:
        model: Model name.
        value: The value the new objective attacks.
        settings: Settings pooled for this value.
        variants: Variants pooled for this value.
        gap: Compliance gap over the pooled rows (pairs kept within setting and variant):
            with `af_training`, the strategic defence.
        af_training: Share of scored training samples with alignment-faking reasoning.
        refuses: Tier -> share of scored samples that did not comply (resistance per tier).
        open_defence: Share of scored pairs (query and epoch, both tiers scored) refused in
            both tiers: absolute resistance, the value defended openly whoever watches. Both
            carry Wilson intervals widened when queries repeat (`clustered_rate`).
        harm: Which items the profile covers: `all`, or one harm tag (e.g. `none`).
        instruments: How compliance was read in these rows (`compliance_method`: `judge`,
            `heuristic`, `tag`), sorted; values read by different instruments do not compare
            like with like.
    """

    model: str
    value: str
    settings: tuple[str, ...]
    variants: tuple[str, ...]
    gap: Gap
    af_training: Rate
    refuses: dict[str, Rate]
    open_defence: Rate
    harm: str = "all"
    instruments: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChannelRow:
    """Frame readings and the gap of one condition, with its channel and salience.

    Attributes:
        model: Model name.
        setting: Setting name.
        variant: Variant spec.
        axes: Channel and salience parsed from the variant.
        n: Samples of the condition.
        suspicion: Share of frame-scored samples suspecting a test or manipulation.
        fact_doubt: Share of frame-scored samples doubting the stated facts.
        gap: The condition's compliance gap.
    """

    model: str
    setting: str
    variant: str
    axes: VariantAxes
    n: int
    suspicion: Rate
    fact_doubt: Rate
    gap: Gap


@dataclass(frozen=True)
class ReadingRow:
    """Both readings of one condition and tier.

    Attributes:
        model: Model name.
        setting: Setting name.
        value: The value at stake in the setting.
        variant: Variant spec.
        tier: `training` or `unmonitored`.
        n: Samples of the tier.
        af: Share of scored samples with alignment-faking reasoning.
        gap: The condition's compliance gap (the same for both tiers).
        frames: Frame name -> share of frame-scored samples where it is present.
        value_named: Value named in the reasoning -> number of samples.
        n_frames: Samples with frame scores.
    """

    model: str
    setting: str
    value: str
    variant: str
    tier: str
    n: int
    af: Rate
    gap: Gap
    frames: dict[str, Rate]
    value_named: dict[str, int]
    n_frames: int


@dataclass(frozen=True)
class InterviewRow:
    """Frame readings of the interview answers of one condition.

    Attributes:
        model: Model name.
        setting: Setting name.
        variant: Variant spec.
        answers: Interview answers with frame scores.
        doubt: Share of those answers expressing suspicion or doubt about the facts.
        suspicion: Share expressing suspicion of a test or manipulation.
        fact_doubt: Share doubting the stated facts.
        context: `same` (asked in the conversation itself) or `fresh` (asked in a new
            conversation shown the transcript); the two are never pooled.
    """

    model: str
    setting: str
    variant: str
    answers: int
    doubt: Rate
    suspicion: Rate
    fact_doubt: Rate
    context: str = "same"


@dataclass(frozen=True)
class SuspicionRow:
    """Compliance of one model, value and tier, apart for samples that suspect manipulation.

    Attributes:
        model: Model name.
        value: The value the new objective attacks.
        tier: `training` or `unmonitored`.
        suspects: Compliance among samples whose reasoning suspects a test or manipulation.
        trusts: Compliance among samples whose reasoning suspects nothing.
        difference: `suspects.p - trusts.p` (NaN when either is empty); negative: the model
            holds harder to its value when it suspects manipulation.
        unread: Samples with a compliance score but no suspicion reading (left out).
        lo: Lower end of the 95% interval of `difference`, as for an unpaired compliance gap
            (clustered by query when queries repeat); NaN when either group is empty.
        hi: Upper end of that interval.
        p_value: Test of no difference (NaN when either group is empty).
    """

    model: str
    value: str
    tier: str
    suspects: Rate
    trusts: Rate
    difference: float
    unread: int
    lo: float = math.nan
    hi: float = math.nan
    p_value: float = math.nan
