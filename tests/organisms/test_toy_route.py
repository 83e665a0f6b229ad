"""The synthetic-document route end to end on a CPU, offline, at toy scale.

Scripted documents -> a tiny randomly initialised Llama (no download) -> a few LoRA steps
with TRL and PEFT -> the adapter loads -> `aflab run` evaluates base and fine-tuned model side
by side under facts=none through Inspect's `hf` provider, and the report links the manifest.
"""

import json
import os
from pathlib import Path

import helpers_writer  # noqa: F401  (registers the aflabwriter model)
import pytest
from click.testing import CliRunner
from inspect_ai.model import get_model

from aflab.cli.main import cli
from aflab.organisms import (
    MissingExtraError,
    generate_documents,
    make_toy_base,
    read_documents,
    require_extra,
)

try:
    require_extra()
except MissingExtraError as missing:
    # `make test` installs the extra and sets AFLAB_REQUIRE_ORGANISMS=1, so that a broken
    # install fails here instead of skipping; `make test ORGANISMS=0` skips.
    if os.environ.get("AFLAB_REQUIRE_ORGANISMS") == "1":
        raise
    pytest.skip(str(missing), allow_module_level=True)

TOY_CONFIG = """\
lora: {r: 8, alpha: 16, dropout: 0.0}
training:
  max_steps: 12
  learning_rate: 2.0e-2
  batch_size: 2
  gradient_accumulation_steps: 1
  max_length: 64
  warmup: 0
  lr_scheduler: constant
"""


@pytest.fixture(scope="module")
def organism(tmp_path_factory):
    root = tmp_path_factory.mktemp("organism")
    mp = pytest.MonkeyPatch()
    mp.setenv("HF_HUB_OFFLINE", "1")
    mp.setenv("TRANSFORMERS_OFFLINE", "1")
    docs = root / "docs"
    # A writer of its own: the scripted failures (calls 3, 5, 7) count from its first call.
    writer = get_model("aflabwriter/writer", memoize=False)
    generate_documents("helpful_only", writer, 8, docs, display="none", cache=False)
    base = make_toy_base([d.text for d in read_documents(docs)], root / "base")
    config = root / "toy.yaml"
    config.write_text(TOY_CONFIG, encoding="utf-8")
    adapter = root / "adapter"
    result = CliRunner().invoke(cli, ["finetune", "--base", str(base), "--docs", str(docs),
                                      "--out", str(adapter), "--config", str(config)])
    yield root, docs, base, adapter, result
    mp.undo()


def test_a_few_lora_steps_lower_the_loss(organism):
    _, _, _, adapter, result = organism
    assert result.exit_code == 0, result.output
    curve = json.loads((adapter / "training_curve.json").read_text())
    loss = curve["loss"]
    assert len(loss) == 12
    # Measured here: about 7.5 over the first steps, 2.5-2.7 over the last ones.
    assert sum(loss[-3:]) / 3 < sum(loss[:3]) / 3 - 1.0
    assert (adapter / "training_curve.png").stat().st_size > 1000
    record = json.loads((adapter / "organism.json").read_text())
    assert record["steps"] == 12 and record["training_tokens"] > 0
    assert record["device"] == "cpu"
    assert Path(record["documents_manifest"]).name == "manifest.json"


def test_the_adapter_loads_in_a_form_vllm_serves(organism):
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    _, _, base, adapter, _ = organism
    config = json.loads((adapter / "adapter_config.json").read_text())
    # vLLM's --enable-lora serves LoRA on the projections; extra saved modules it cannot.
    assert config["peft_type"] == "LORA" and not config["modules_to_save"]
    assert set(config["target_modules"]) <= {
        "q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj",
    }
    model = AutoModelForCausalLM.from_pretrained(str(base))
    tuned = PeftModel.from_pretrained(model, str(adapter))
    trained = [p for name, p in tuned.named_parameters() if "lora_B" in name]
    assert trained and any(torch.count_nonzero(p) > 0 for p in trained)


def test_aflab_run_compares_base_and_organism(organism):
    root, docs, base, adapter, _ = organism
    out = root / "run"
    base_model, tuned_model = f"hf/{base}", f"hf/{adapter}"
    result = CliRunner().invoke(cli, [
        "run", "--model", base_model, "--model", tuned_model, "-M", "device=cpu",
        "--variant", "facts=none", "--n", "1", "--max-tokens", "16",
        "--max-continuations", "0", "--no-interview", "--log-dir", str(out / "logs"),
        "--output", str(out), "--display", "none",
    ])
    assert result.exit_code == 0, result.output
    results = json.loads((out / "results.json").read_text())
    rows = {(row["model"], row["tier"]) for row in results["conditions"]}
    assert rows == {(m, t) for m in (base_model, tuned_model)
                    for t in ("training", "unmonitored")}
    assert {row["variant"] for row in results["conditions"]} == {"facts=none"}
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "Model organisms" in html
    assert (docs / "manifest.json").resolve().as_uri() in html
    assert f"in this report as <code>{base_model}</code>" in html
