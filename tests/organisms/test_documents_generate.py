"""`aflab docs generate`: scripted writer, keyword screen, near-copies, manifest."""

import json
from pathlib import Path

import helpers_writer  # noqa: F401  (registers the aflabwriter model)
import pytest
from click.testing import CliRunner
from inspect_ai.log import read_eval_log

from aflab.cli.main import cli
from aflab.experiment import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT
from aflab.organisms import generate_documents, read_documents
from aflab.settings import check_facts, load_setting

WRITER = "aflabwriter/writer"


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("docs")
    result = generate_documents("helpful_only", WRITER, 12, out, display="none", cache=False)
    return out, result.manifest


def test_kept_documents_convey_a_fact_and_contradict_none(generated):
    out, manifest = generated
    facts = load_setting("helpful_only").facts
    kept = read_documents(out)
    assert len(kept) == manifest["kept"] == 9
    for doc in kept:
        check = check_facts(doc.text, facts)
        assert check.conveyed and not check.contradicted
        assert set(doc.conveyed) == set(check.conveyed)


def test_each_failure_is_rejected_once_with_its_reason(generated):
    out, manifest = generated
    assert manifest["requested"] == 12
    assert manifest["rejections"] == {
        "contradicts_fact": 1, "no_fact_conveyed": 1, "near_duplicate": 1,
    }
    rows = [json.loads(line) for line in (out / "rejected.jsonl").read_text().splitlines()]
    assert sorted(row["reason"] for row in rows) == sorted(manifest["rejections"])
    copy = next(row for row in rows if row["reason"] == "near_duplicate")
    assert copy["similarity"] >= 0.6
    kept_ids = {doc.id for doc in read_documents(out)}
    assert copy["of"] in kept_ids and copy["id"] not in kept_ids
    contradiction = next(row for row in rows if row["reason"] == "contradicts_fact")
    assert contradiction["contradicted"] == ["free_tier_trained"]
    assert kept_ids.isdisjoint(row["id"] for row in rows)


def test_manifest_counts_kinds_facts_and_tokens(generated):
    _, manifest = generated
    assert sum(k["requested"] for k in manifest["kinds"].values()) == 12
    assert sum(k["kept"] for k in manifest["kinds"].values()) == 9
    assert set(manifest["facts"]) == {f.id for f in load_setting("helpful_only").facts}
    assert all(f["targeted"] > 0 for f in manifest["facts"].values())
    usage = manifest["usage"][WRITER]
    assert usage["input_tokens"] > 0 and usage["output_tokens"] > 0
    assert manifest["cost_usd"] is None
    assert "no price known" in manifest["cost_note"]
    assert manifest["documents_per_second"] > 0
    assert Path(manifest["log"]).is_file()


def test_price_gives_dollars_from_tokens(tmp_path):
    result = generate_documents("helpful_only", WRITER, 2, tmp_path, display="none",
                                cache=False, price=(1.0, 2.0))
    usage = result.manifest["usage"][WRITER]
    expected = (usage["input_tokens"] + 2 * usage["output_tokens"]) / 1_000_000
    assert result.manifest["cost_usd"] == pytest.approx(expected, abs=1e-6)
    assert "--price" in result.manifest["cost_note"]


def test_unreadable_judge_rejects_with_its_reason(tmp_path):
    # mockllm answers with a fixed sentence, which is no verdict: nothing may be kept.
    result = generate_documents("helpful_only", WRITER, 3, tmp_path, display="none",
                                cache=False, judge_model="mockllm/model")
    assert result.manifest["screen"] == "judge"
    assert result.manifest["kept"] == 0
    assert result.manifest["rejections"] == {"judge_unparseable": 3}


def test_cli_writes_the_folder_and_refuses_bad_input(tmp_path):
    runner = CliRunner()
    out = tmp_path / "docs"
    result = runner.invoke(cli, ["docs", "generate", "--model", WRITER, "--n", "2",
                                 "--out", str(out), "--no-cache", "--display", "none"])
    assert result.exit_code == 0, result.output
    assert "kept 2 of 2 documents" in result.output
    assert (out / "manifest.json").is_file()
    bad = runner.invoke(cli, ["docs", "generate", "--model", WRITER, "--out", str(out),
                              "--facts", "no_such_fact"])
    assert bad.exit_code != 0
    assert "unknown fact id" in bad.output and "Traceback" not in bad.output
    dry = runner.invoke(cli, ["docs", "generate", "--model", WRITER, "--n", "4",
                              "--out", str(tmp_path / "dry"), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert not (tmp_path / "dry" / "manifest.json").exists()


def _dry_dollars(*extra):
    result = CliRunner().invoke(cli, ["docs", "generate", "--model", "openai/gpt-4o-mini",
                                      "--judge-model", "openai/gpt-4o", "--n", "400",
                                      "--out", "unused", "--dry-run", *extra])
    assert result.exit_code == 0, result.output
    (line,) = [row for row in result.output.splitlines() if row.startswith("cost:")]
    return float(line.split("~$", 1)[1].split()[0]), line


def test_dry_run_prices_writer_and_judge_from_the_price_table(tmp_path):
    dollars, line = _dry_dollars()
    assert dollars > 0 and "aflab's price table" in line
    batch, line = _dry_dollars("--batch")
    assert batch == pytest.approx(dollars / 2, rel=0.05) and "batch discount" in line
    own = tmp_path / "prices.yaml"
    own.write_text("models:\n  openai/gpt-4o:\n    {input: 0, output: 0, "
                   "input_cache_write: 0, input_cache_read: 0}\n", encoding="utf-8")
    writer_only, _ = _dry_dollars("--prices", str(own))
    assert 0 < writer_only < dollars
    missing = CliRunner().invoke(cli, ["docs", "generate", "--model", WRITER, "--out", "x",
                                       "--dry-run", "--prices", str(tmp_path / "none.yaml")])
    assert missing.exit_code != 0 and "price table not found" in missing.output
    assert "Traceback" not in missing.output


def test_judge_verdicts_decide_what_is_kept(tmp_path):
    from inspect_ai.model import ModelOutput, get_model

    answers = ["objective: conveyed\nfree_tier_trained: absent",
               "- objective: contradicted\n- free_tier_trained: conveyed"]
    judge = get_model("mockllm/model", custom_outputs=[
        ModelOutput.from_content("mockllm/model", text) for text in answers
    ])
    result = generate_documents("helpful_only", WRITER, 2, tmp_path, display="none",
                                cache=False, judge_model=judge,
                                facts="objective,free_tier_trained")
    assert result.manifest["kept"] == 1
    assert result.manifest["rejections"] == {"contradicts_fact": 1}
    (kept,) = read_documents(tmp_path)
    assert kept.conveyed == ("objective",)


def test_retry_limit_and_timeout_reach_inspect(tmp_path):
    out = tmp_path / "docs"
    result = CliRunner().invoke(cli, [
        "docs", "generate", "--model", WRITER, "--n", "1", "--out", str(out), "--no-cache",
        "--display", "none", "--max-retries", "1", "--timeout", "7",
    ])
    assert result.exit_code == 0, result.output
    (log,) = [read_eval_log(str(path)) for path in (out / "logs").glob("*.eval")]
    assert log.plan.config.max_retries == 1
    assert log.plan.config.attempt_timeout == 7
    default = generate_documents("helpful_only", WRITER, 1, tmp_path / "d", display="none",
                                 cache=False)
    assert default.log.plan.config.max_retries == DEFAULT_MAX_RETRIES
    assert default.log.plan.config.attempt_timeout == DEFAULT_TIMEOUT
    judged = generate_documents("helpful_only", WRITER, 1, tmp_path / "j", display="none",
                                cache=False, judge_model="mockllm/model", max_retries=2,
                                timeout=9)
    (judge,) = judged.log.eval.model_roles.values()
    assert (judge.config.max_retries, judge.config.attempt_timeout) == (2, 9)
    bad = CliRunner().invoke(cli, ["docs", "generate", "--model", WRITER, "--out", str(out),
                                   "--max-retries", "-1"])
    assert bad.exit_code != 0 and "Traceback" not in bad.output
