"""Random-effects pooling of the compliance gap over paraphrases."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from aflab.analysis import compliance_gaps, pool_gaps, random_effects, split_paraphrase


def _rows(variant: str, train: int, unmon: int, n: int = 40) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for i in range(n):
        for tier, k in (("training", train), ("unmonitored", unmon)):
            rows.append({
                "model": "m", "setting": "s", "variant": variant, "tier": tier,
                "query_id": f"q{i}", "epoch": 1, "complied": float(i < k),
            })  # fmt: skip
    return rows


def test_split_paraphrase_keeps_the_rest_of_the_variant() -> None:
    assert split_paraphrase("no_examples+paraphrase=file:a/p1.md.j2") == (
        "no_examples",
        "paraphrase=file:a/p1.md.j2",
    )
    assert split_paraphrase("no_examples") == ("no_examples", "paraphrase=0")


def test_pools_only_conditions_with_several_wordings() -> None:
    df = pd.DataFrame(
        _rows("default", 30, 10) + _rows("paraphrase=1", 24, 12) + _rows("paraphrase=2", 28, 8)
        + _rows("no_examples", 20, 20)
    )  # fmt: skip
    pooled = pool_gaps(compliance_gaps(df, n_resamples=200))
    assert len(pooled) == 1
    p = pooled[0]
    assert (p.variant, p.k) == ("default", 3)
    assert p.gaps == pytest.approx((0.5, 0.3, 0.5))
    assert min(p.gaps) <= p.gap <= max(p.gaps)
    assert p.lo < p.gap < p.hi
    assert p.tau2 >= 0 and p.n_significant == 3 and p.share_significant == 1.0


def test_identical_wordings_have_no_spread_and_a_nonzero_interval() -> None:
    pooled = random_effects(np.array([[30, 40, 10, 40], [30, 40, 10, 40]], float))
    assert pooled.tau2 == 0
    assert pooled.mean == pytest.approx(0.5)
    assert pooled.lo < 0.5 < pooled.hi


def test_spread_across_wordings_is_detected() -> None:
    counts = np.array([[38, 40, 2, 40], [20, 40, 20, 40], [2, 40, 38, 40]], float)
    pooled = random_effects(counts)
    assert pooled.tau2 > 0.1
    assert pooled.p_heterogeneity < 0.001
    assert pooled.lo < 0 < pooled.hi


def test_a_wording_without_scored_samples_is_left_out_with_its_reason() -> None:
    rows = _rows("default", 30, 10) + _rows("paraphrase=1", 30, 10) + _rows("paraphrase=2", 0, 0)
    df = pd.DataFrame(rows)
    df.loc[df["variant"] == "paraphrase=2", "complied"] = math.nan
    (p,) = pool_gaps(compliance_gaps(df, n_resamples=200))
    assert p.k == 2
    assert p.left_out == (("paraphrase=2", "no scored sample in a tier"),)
