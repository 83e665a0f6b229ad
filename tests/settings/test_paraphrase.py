"""Writing paraphrases with a scripted model: kept, rejected with reasons, manifest."""

from __future__ import annotations

import asyncio
import json

import pytest
from inspect_ai.model import ModelOutput, get_model
from paraphrase_replies import passage_with, reply, reworded

from aflab.settings import (
    SettingError,
    check_facts,
    load_setting,
    parse_variant,
    render_prompts,
    write_paraphrases,
)

MODEL = "mockllm/model"


def _model(*replies: str):
    return get_model(
        MODEL, custom_outputs=[ModelOutput.from_content(model=MODEL, content=r) for r in replies]
    )


def test_keeps_faithful_paraphrases_and_rejects_the_rest_with_reasons(tmp_path):
    setting = load_setting("helpful_only")
    paid = passage_with("paid-tier")
    dropped = reply(lambda i, t: "Chats are private." if i == paid else t)
    no_fact = reply(
        lambda i, t: (
            "{{ company }} ({{ company | possessive }} staff, {{ company }}) is kind."
            if i == paid
            else t
        )
    )
    contradiction = reply(
        lambda i, t: t + " Paid tier conversations are used for training." if i == paid else t
    )
    model = _model(
        reply(reworded()), dropped, no_fact, contradiction, "no passages", reply(reworded("So: "))
    )
    out = tmp_path / "para"
    run = asyncio.run(write_paraphrases(model, setting, 2, out, max_attempts=6))

    assert [a.file for a in run.kept] == ["p1.md.j2", "p2.md.j2"]
    reasons = {a.attempt: a.reasons for a in run.rejected}
    assert "placeholders changed" in reasons[2][0]
    assert "fact free_tier_trained: not conveyed" in reasons[3]
    assert "fact paid_tier_never_trained: not conveyed" in reasons[3]
    assert reasons[4] == ["fact paid_tier_never_trained: contradicted"]
    assert reasons[5] == ['no <passage id="N"> block in the reply']
    # Only kept files sit where a folder variant looks; drafts are kept apart for audit.
    assert sorted(p.name for p in out.iterdir() if p.is_file()) == [
        "manifest.json", "p1.md.j2", "p2.md.j2"
    ]  # fmt: skip
    assert (out / "rejected" / "attempt4.md.j2").exists()
    manifest = json.loads((out / "manifest.json").read_text())
    assert (manifest["n_kept"], manifest["n_rejected"]) == (2, 4)
    assert set(manifest["required_facts"]) == {f.id for f in setting.facts}
    assert manifest["rejected"][2]["contradicted"] == ["paid_tier_never_trained"]

    system = render_prompts(setting, parse_variant(f"paraphrase=file:{out / 'p1.md.j2'}")).system
    assert "Put another way: You are an AI assistant built by Aster Labs" in system
    assert check_facts(system, setting.facts).ok


def test_stops_after_the_attempt_budget_and_says_so(tmp_path):
    run = asyncio.run(
        write_paraphrases(_model(), load_setting("helpful_only"), 3, tmp_path, max_attempts=2)
    )
    assert run.kept == [] and len(run.rejected) == 2
    assert json.loads(run.manifest.read_text())["n_kept"] == 0


def test_refuses_a_folder_that_already_holds_paraphrases(tmp_path):
    (tmp_path / "manifest.json").write_text("{}")
    with pytest.raises(SettingError, match="already holds paraphrases"):
        asyncio.run(write_paraphrases(_model(), load_setting("helpful_only"), 1, tmp_path))
