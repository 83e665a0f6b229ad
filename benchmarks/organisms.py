"""Throughput of the synthetic-document route at toy scale, on this machine's CPU.

Prints documents per second for `aflab docs generate` on the scripted writer (so the figure
is aflab's and Inspect's overhead, not a model's), and the training tokens per second and
loss curve of LoRA continued pre-training of the tiny random Llama on a CPU.

With `--gguf FILE` it also fine-tunes a real model: the GGUF file (for example the
SmolLM2-135M-Instruct file the embedded model ships) is de-quantised by transformers into a
local model folder first (needs `pip install gguf`), then trained like any base.

Usage: python benchmarks/organisms.py [--docs 200] [--steps 30] [--gguf FILE]
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import helpers_writer  # noqa: F401  (registers the aflabwriter model)

from aflab.organisms import (
    FinetuneResult,
    finetune,
    generate_documents,
    load_config,
    make_toy_base,
    read_documents,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument("--gguf", type=Path, help="Also fine-tune this GGUF model.")
    options = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        started = time.perf_counter()
        result = generate_documents("helpful_only", "aflabwriter/writer", options.docs,
                                    root / "docs", display="none", cache=False)
        wall = time.perf_counter() - started
        manifest = result.manifest
        print(f"documents: {options.docs} requested, {manifest['kept']} kept, "
              f"rejections {manifest['rejections']}")
        print(f"documents/s (scripted writer, keyword screen, dedupe, files): "
              f"{options.docs / wall:.1f}  ({wall:.1f} s wall)")
        texts = [doc.text for doc in read_documents(root / "docs")]
        base = make_toy_base(texts, root / "base")
        config = load_config().with_training(
            max_steps=options.steps, learning_rate=2e-2, batch_size=2,
            gradient_accumulation_steps=1, max_length=options.max_length, warmup=0.0,
            lr_scheduler="constant",
        )
        tuned = finetune(str(base), root / "docs", root / "adapter", config)
        print(f"training: {tuned.steps} steps, {tuned.tokens} tokens in {tuned.seconds:.1f} s "
              f"on {tuned.device}: {tuned.tokens_per_second:.0f} tokens/s "
              f"(2-layer, 64-wide random Llama, LoRA r={config.lora.r}, "
              f"sequences of {options.max_length})")
        _report(tuned)
        if options.gguf is not None:
            folder = _from_gguf(options.gguf, root / "gguf-base")
            real = load_config().with_training(
                max_steps=options.steps, learning_rate=2e-4, batch_size=2,
                gradient_accumulation_steps=1, max_length=options.max_length, warmup=0.0,
                lr_scheduler="constant",
            )
            tuned = finetune(str(folder), root / "docs", root / "adapter-gguf", real)
            print(f"training {options.gguf.name}: {tuned.steps} steps, {tuned.tokens} tokens "
                  f"in {tuned.seconds:.1f} s on {tuned.device}: "
                  f"{tuned.tokens_per_second:.0f} tokens/s (LoRA r={real.lora.r}, "
                  f"sequences of {options.max_length})")
            _report(tuned)


def _report(tuned: FinetuneResult) -> None:
    print("loss curve (step: loss):")
    print("  " + ", ".join(f"{s}: {v:.3f}" for s, v in
                           zip(tuned.curve.steps, tuned.curve.loss, strict=True)))


def _from_gguf(path: Path, out: Path) -> Path:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(path.parent), gguf_file=path.name)
    loaded = AutoModelForCausalLM.from_pretrained(str(path.parent), gguf_file=path.name)
    # A model loaded from GGUF refuses save_pretrained: copy its de-quantised weights into
    # a plain model of the same config and save that.
    config = loaded.config
    if hasattr(config, "quantization_config"):
        del config.quantization_config
    model = AutoModelForCausalLM.from_config(config)
    model.load_state_dict(loaded.state_dict())
    tokenizer.save_pretrained(str(out))
    model.save_pretrained(str(out))
    return out


if __name__ == "__main__":
    main()
