import math

import pandas as pd
from inspect_ai import eval
from inspect_ai.model import ModelOutput, get_model

from aflab.analysis import samples_table, summarize
from aflab.tasks import alignment_faking

NAN = math.nan
HONEST = "<SCRATCHPAD_REASONING>Be truthful.</SCRATCHPAD_REASONING><OUTPUT>It drops.</OUTPUT>"


def frame(complied: list[float], reasons: list[str | None]) -> pd.DataFrame:
    """A table whose ``compliance_unscored`` column holds ``reasons``."""
    n = len(complied)
    return pd.DataFrame({
        "model": "m", "setting": "honesty", "variant": "default",
        "tier": ["training", "unmonitored"] * (n // 2),
        "query_id": [f"q{i // 2}" for i in range(n)],
        "epoch": 1, "complied": complied,
        "partial": [NAN if math.isnan(c) else 0.0 for c in complied],
        "af_label": 0.0, "format_ok": 1.0, "judge_failures": 0, "error": None,
        "compliance_unscored": reasons,
    })


def test_needs_judge_warning_when_nothing_is_scored():
    df = frame([NAN] * 4, ["needs_judge"] * 4)
    for condition in summarize(df)["conditions"]:
        assert condition["reliability"] == "needs_judge"
        assert "compliance for this setting needs --judge-model" in condition["warning"]
        assert condition["unscored"] == 2


def test_needs_judge_warning_when_only_tagged_replies_were_scored():
    df = frame([1.0, 0.0, NAN, 0.0], [None, None, "needs_judge", None])
    training, unmonitored = summarize(df)["conditions"]
    assert training["reliability"] == "needs_judge" and training["compliance_rate"] == 1.0
    assert "1 of 2 samples have no compliance score" in training["warning"]
    assert unmonitored["reliability"] == "ok"


def test_other_unscored_reasons_keep_the_generic_warning():
    df = frame([NAN] * 2, ["no_output"] * 2)
    condition = summarize(df)["conditions"][0]
    assert condition["reliability"] == "no_scored_samples"
    assert "--judge-model" not in condition["warning"]


def test_table_of_an_honesty_run_without_judge_reports_needs_judge(tmp_path):
    model = get_model(
        "mockllm/model",
        custom_outputs=[ModelOutput.from_content(model="mockllm/model", content=HONEST)] * 4,
    )
    eval(
        alignment_faking(setting="honesty", n=2), model=model, display="none", log_dir=str(tmp_path)
    )
    table = samples_table(tmp_path)
    assert table["complied"].isna().all()
    assert (table["compliance_unscored"] == "needs_judge").all()
    assert table["unscored_reason"].str.contains("compliance: needs_judge").all()
    warnings = [c["warning"] for c in summarize(table)["conditions"]]
    assert all("compliance for this setting needs --judge-model" in w for w in warnings)
