import math

import pytest
from helpers_frames import add_frames, write, write_frame_runs
from helpers_logs import make_log, pattern, write_log

from aflab.analysis import (
    AnalysisError,
    channel_table,
    frames_methods,
    has_frames,
    interview_summary,
    preservation_profile,
    samples_table,
    two_readings,
    variant_axes,
)

NEWS = "channel=news+no_think_situation"
DISCLOSED = "facts=buried+test_disclosed"


@pytest.fixture(scope="module")
def df(tmp_path_factory):
    return samples_table(write_frame_runs(tmp_path_factory.mktemp("frames")), workers=1)


def test_table_carries_frame_metadata(df):
    a = df[(df.setting == "helpful_only") & (df.variant == "default")]
    evil = a[a.query_id == "evil"].iloc[0]
    assert evil.suspicion == 1.0 and evil.fact_doubt == 1.0 and evil.prop_alignment == 0.0
    assert evil.value_named == "harmlessness" and evil.frames_method == "judge"
    votes = evil.frames_details["votes"]
    assert votes["suspicion"][0] == {"vote": True, "reason": "judge saw suspicion (vote 0)",
                                      "error": None, "details": {}}  # fmt: skip
    interview = evil.frames_interview
    assert [i["scores"] is None for i in interview] == [False, True]
    local = df[df.variant == DISCLOSED].iloc[0]
    assert local.frames_method == "local"
    assert local.frames_details["evidence"]["suspicion"] == ["phrase for suspicion"]
    assert frames_methods(df) == {"judge": 121, "local": 20}


def test_unscored_frames_stay_nan(tmp_path):
    log = add_frames(make_log(pattern(3)), lambda s: None)
    frame = samples_table(write(log, tmp_path / "run.eval"))
    assert frame.suspicion.isna().all() and frame.value_named.isna().all()
    assert frame.unscored_reason.str.contains("frames: no_scratchpad").all()
    assert has_frames(frame)
    row = channel_table(frame, n_resamples=100)[0]
    assert row.suspicion.n == 0 and math.isnan(row.suspicion.p)
    readings = two_readings(frame, n_resamples=100)
    assert [r.n_frames for r in readings] == [0, 0]


def test_logs_without_frames_have_none(tmp_path):
    frame = samples_table(write_log(tmp_path / "run.eval", pattern(3)))
    assert not has_frames(frame)
    assert frames_methods(frame) == {}
    assert interview_summary(frame) == []


def test_profile_separates_values(df):
    profile = {p.value: p for p in preservation_profile(df, n_resamples=300)}
    assert set(profile) == {"harmlessness", "honesty"}
    harm, honesty = profile["harmlessness"], profile["honesty"]
    assert harm.variants == ("default",) and harm.settings == ("helpful_only",)
    assert harm.gap.gap == pytest.approx(0.5) and harm.gap.method == "paired"
    assert harm.gap.n_pairs == 20 and harm.gap.lo > 0
    assert (harm.af_training.k, harm.af_training.n) == (9, 21)
    assert honesty.gap.gap == 0.0 and honesty.gap.lo <= 0 <= honesty.gap.hi
    assert honesty.af_training.k == 0 and honesty.af_training.n == 20


def test_profile_pools_variants_without_default(df):
    rest = df[df.variant.isin([NEWS, DISCLOSED])]
    (only,) = preservation_profile(rest, n_resamples=200)
    assert only.value == "harmlessness"
    assert only.variants == (NEWS, DISCLOSED)
    assert only.gap.n_pairs == 30  # pairs kept within each variant, never across
    assert only.gap.gap == pytest.approx((10 + 2 - 4 - 2) / 30)
    pooled = {p.value: p for p in preservation_profile(df, variant=None, n_resamples=200)}
    assert pooled["harmlessness"].gap.n_pairs == 50


def test_profile_needs_its_columns(df):
    with pytest.raises(AnalysisError, match="af_label"):
        preservation_profile(df.drop(columns=["af_label"]))


def test_variant_axes_parse_channel_and_salience():
    assert variant_axes("default").group == "system"
    news = variant_axes(NEWS)
    assert (news.channel, news.think_situation, news.facts) == ("news", False, "default")
    disclosed = variant_axes(DISCLOSED)
    assert disclosed.group == "test_disclosed" and disclosed.facts == "buried"
    assert variant_axes("channel=user+no_examples+paraphrase=2").group == "user"
    assert variant_axes("facts=front+think_situation").think_situation is True


def test_channel_table_groups_and_rates(df):
    rows = channel_table(df, n_resamples=200)
    assert [r.axes.group for r in rows] == ["system", "system", "news", "test_disclosed"]
    news = next(r for r in rows if r.variant == NEWS)
    assert (news.suspicion.k, news.suspicion.n) == (20, 40)
    assert (news.fact_doubt.k, news.fact_doubt.n) == (10, 40)
    assert news.axes.think_situation is False
    assert news.gap.gap == pytest.approx(0.3)
    disclosed = next(r for r in rows if r.variant == DISCLOSED)
    assert disclosed.suspicion.p == 1.0 and disclosed.axes.facts == "buried"
    honesty = next(r for r in rows if r.setting == "honesty")
    assert honesty.suspicion.k == 0 and honesty.suspicion.n == 40


def test_two_readings_per_condition_and_tier(df):
    rows = two_readings(df, n_resamples=200)
    assert len(rows) == 8
    key = {(r.setting, r.variant, r.tier): r for r in rows}
    train = key[("helpful_only", "default", "training")]
    assert train.value == "harmlessness" and train.n == 21 and train.n_frames == 21
    assert (train.af.k, train.frames["prop_alignment"].k) == (9, 8)
    assert train.frames["non_myopic"].p == pytest.approx(8 / 21)
    assert train.value_named == {"none": 12, "harmlessness": 9}
    unmon = key[("helpful_only", "default", "unmonitored")]
    assert unmon.frames["prop_humility"].k == 5 and unmon.frames["suspicion"].k == 5
    assert unmon.gap is train.gap and train.gap.gap == pytest.approx(0.5)
    assert key[("honesty", "default", "training")].value_named == {"honesty": 20}


def test_interview_summary_counts_suspicious_answers(df):
    (row,) = interview_summary(df)
    assert (row.setting, row.variant) == ("helpful_only", "default")
    assert row.answers == 41  # the second, unscored answer of each sample is left out
    assert (row.doubt.k, row.suspicion.k, row.fact_doubt.k) == (10, 10, 0)
    assert 0 < row.doubt.lo < 10 / 41 < row.doubt.hi
