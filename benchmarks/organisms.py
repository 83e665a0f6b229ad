"""Throughput of the synthetic-document route at toy scale, on this machine's CPU.

Prints documents per second for `aflab docs generate` on the scripted writer (so the figure
is aflab's and Inspect's overhead, not a model's), and the training tokens per second and
loss curve of LoRA continued pre-training of the tiny random Llama on a CPU.

Usage: python benchmarks/organisms.py [--docs 200] [--steps 30]
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
        print("loss curve (step: loss):")
        print("  " + ", ".join(f"{s}: {v:.3f}" for s, v in
                               zip(tuned.curve.steps, tuned.curve.loss, strict=True)))


if __name__ == "__main__":
    main()
