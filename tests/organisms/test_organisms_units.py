"""Hyper-parameter files, near-copy detection and the report's organism section."""

import json

import pytest

from aflab.organisms import (
    DEFAULT_CONFIG,
    ConfigError,
    find_near_duplicates,
    load_config,
    organism_section,
)


def test_shipped_config_reads_and_flags_override(tmp_path):
    config = load_config()
    assert config == load_config(DEFAULT_CONFIG)
    assert config.lora.r == 16 and "q_proj" in config.lora.target_modules
    changed = config.with_training(max_steps=5, learning_rate=None)
    assert changed.training.max_steps == 5
    assert changed.training.learning_rate == config.training.learning_rate
    partial = tmp_path / "p.yaml"
    partial.write_text("training: {learning_rate: 3}\n", encoding="utf-8")
    assert load_config(partial).training.learning_rate == 3.0
    assert load_config(partial).lora == config.lora


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("lora: {rank: 4}\n", "unknown key"),
        ("optimiser: {}\n", "unknown key"),
        ("training: {max_steps: ten}\n", "expected an integer"),
        ("training: {packing: 1}\n", "expected true or false"),
        ("training: {precision: fp8}\n", "precision"),
        ("lora: {target_modules: q_proj}\n", "list of names"),
        ("- a\n", "expected a mapping"),
        ("lora: [unclosed\n", "cannot read"),
    ],
)
def test_bad_config_gets_a_clear_error(tmp_path, text, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_config(path)


def test_near_copies_are_found_and_distinct_texts_kept():
    base = " ".join(f"word{i}" for i in range(200))
    edited = base.replace("word50 ", "changed ")
    other = " ".join(f"other{i}" for i in range(200))
    found = find_near_duplicates([base, other, edited], threshold=0.6)
    assert [(d.index, d.of) for d in found] == [(2, 0)]
    assert found[0].similarity > 0.9
    assert find_near_duplicates([base, other], threshold=0.6) == []


def test_organism_section_escapes_and_skips_what_is_not_an_organism(tmp_path):
    adapter = tmp_path / "adapter"
    adapter.mkdir()
    manifest = tmp_path / "docs" / "manifest.json"
    manifest.parent.mkdir()
    manifest.write_text("{}", encoding="utf-8")
    record = {"base_model": "<b>base</b>", "document_count": 3,
              "documents_manifest": str(manifest), "steps": 4, "training_tokens": 100,
              "final_loss": 1.23456}
    (adapter / "organism.json").write_text(json.dumps(record), encoding="utf-8")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "organism.json").write_text("{not json", encoding="utf-8")
    assert organism_section(["openai/gpt-4o", f"hf/{broken}"]) is None
    section = organism_section([f"hf/{adapter}", "mockllm/model"])
    assert section is not None
    assert "&lt;b&gt;base&lt;/b&gt;" in section.html and "<b>base" not in section.html
    assert manifest.resolve().as_uri() in section.html
    assert "1.235" in section.html and "(no curve)" in section.html


def test_finetune_without_the_extra_says_how_to_install(tmp_path, monkeypatch):
    import importlib.util

    from click.testing import CliRunner

    from aflab.cli.main import cli

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "trl" else real(name, *a))
    result = CliRunner().invoke(cli, ["finetune", "--base", "x", "--docs", str(tmp_path),
                                      "--out", str(tmp_path / "a")])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "trl" in result.output and "pip install torch==2.13.0" in result.output


def test_one_unpriced_model_leaves_the_total_unknown():
    from inspect_ai.model import ModelUsage

    from aflab.cost import load_prices
    from aflab.organisms._cost import documents_cost

    use = ModelUsage(input_tokens=1_000_000, output_tokens=1_000_000, total_tokens=2_000_000)
    table = load_prices()
    listed = table.price("openai/gpt-4o-mini")
    dollars, note = documents_cost({"openai/gpt-4o-mini": use}, prices=table)
    assert dollars == pytest.approx(listed.input + listed.output)
    assert "price table" in note
    dollars, note = documents_cost({"openai/gpt-4o-mini": use, "nowhere/model": use},
                                   prices=table)
    assert dollars is None and "nowhere/model" in note and "--price" in note
