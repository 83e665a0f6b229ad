"""LoRA continued pre-training on documents with TRL's `SFTTrainer` and PEFT.

The documents are plain text, so TRL trains on every token (language modelling, no chat
format). The adapter is written in PEFT's format, which vLLM (`--enable-lora`) and
transformers (and so Inspect's `hf` provider, given the adapter folder) load directly.
"""

import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aflab.organisms._config import FinetuneConfig
from aflab.organisms._curve import TrainingCurve, curve_from_log_history
from aflab.organisms._documents import read_documents
from aflab.organisms._extra import require_extra

__all__ = ["FinetuneResult", "finetune"]


@dataclass(frozen=True)
class FinetuneResult:
    """What a fine-tuning run produced.

    Attributes:
        adapter: The adapter folder (PEFT format, tokenizer included).
        curve: Loss per step.
        documents: Documents trained on.
        steps: Optimiser steps taken.
        tokens: Training tokens seen (as counted by TRL).
        seconds: Wall-clock training time.
        device: `cuda`, `mps` or `cpu`.
    """

    adapter: Path
    curve: TrainingCurve
    documents: int
    steps: int
    tokens: int
    seconds: float
    device: str

    @property
    def tokens_per_second(self) -> float:
        """Training throughput."""
        return self.tokens / self.seconds if self.seconds > 0 else 0.0


def finetune(
    base: str,
    docs: Path,
    out: Path,
    config: FinetuneConfig,
    *,
    report_to: str = "none",
) -> FinetuneResult:
    """Train a LoRA adapter on documents and save it with its training curve.

    Args:
        base: A Hugging Face model id or a local model folder.
        docs: A documents folder written by `aflab docs generate` (or its documents.jsonl).
        out: Folder for the adapter; it also gets `training_curve.json`/`.png`,
            `finetune_config.yaml` and `organism.json`.
        config: Hyper-parameters.
        report_to: Trainer reporting integrations (`none`, `wandb`, `tensorboard`, ...).

    Returns:
        The adapter folder, loss curve and throughput.

    Raises:
        MissingExtraError: The `organisms` extra is not installed.
        DocumentsError: The documents folder is missing or holds no documents.
    """
    require_extra()
    import torch
    from datasets import Dataset
    from peft import LoraConfig
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import SFTConfig, SFTTrainer  # type: ignore[attr-defined]

    texts = [doc.text for doc in read_documents(docs)]
    device = "cuda" if torch.cuda.is_available() else "cpu"
    dtype, bf16, fp16 = _precision(config.training.precision, torch)
    tokenizer = AutoTokenizer.from_pretrained(base)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    model = AutoModelForCausalLM.from_pretrained(base, dtype=dtype)
    train = config.training
    options: dict[str, Any] = {
        "output_dir": str(out / "checkpoints"),
        "dataset_text_field": "text",
        "max_length": train.max_length,
        "packing": train.packing,
        "num_train_epochs": train.epochs,
        "max_steps": train.max_steps,
        "learning_rate": train.learning_rate,
        "per_device_train_batch_size": train.batch_size,
        "gradient_accumulation_steps": train.gradient_accumulation_steps,
        "warmup_steps": train.warmup,
        "lr_scheduler_type": train.lr_scheduler,
        "weight_decay": train.weight_decay,
        "bf16": bf16,
        "fp16": fp16,
        "seed": train.seed,
        "logging_steps": 1,
        "save_strategy": "no",
        "report_to": report_to,
        "use_cpu": device == "cpu",
        "dataloader_pin_memory": device == "cuda",
    }
    if train.gradient_checkpointing:  # only when on: transformers is renaming the flag
        options["gradient_checkpointing"] = True
    args = SFTConfig(**options)
    lora = LoraConfig(
        r=config.lora.r,
        lora_alpha=config.lora.alpha,
        lora_dropout=config.lora.dropout,
        target_modules=list(config.lora.target_modules),
        bias="none",
        task_type="CAUSAL_LM",
    )
    trainer = SFTTrainer(
        model=model,
        args=args,
        train_dataset=Dataset.from_list([{"text": text} for text in texts]),
        processing_class=tokenizer,
        peft_config=lora,
    )
    started = time.perf_counter()
    trainer.train()
    seconds = time.perf_counter() - started
    out.mkdir(parents=True, exist_ok=True)
    trainer.save_model(str(out))
    shutil.rmtree(out / "checkpoints", ignore_errors=True)  # save_strategy "no": nothing kept
    tokenizer.save_pretrained(str(out))
    history: list[dict[str, Any]] = list(trainer.state.log_history)
    curve = curve_from_log_history(history)
    curve.write(out)
    tokens = max((int(row.get("num_tokens", 0)) for row in history), default=0)
    result = FinetuneResult(
        adapter=out,
        curve=curve,
        documents=len(texts),
        steps=int(trainer.state.global_step),
        tokens=tokens,
        seconds=seconds,
        device=device,
    )
    _write_record(result, base, docs, config)
    return result


def _precision(choice: str, torch: Any) -> tuple[Any, bool, bool]:
    """(model dtype, bf16 flag, fp16 flag) for the trainer."""
    if choice == "auto":
        bf16_ok = torch.cuda.is_available() and torch.cuda.is_bf16_supported()
        choice = "bf16" if bf16_ok else "fp32"
    if choice == "bf16":
        return torch.bfloat16, True, False
    if choice == "fp16":
        return torch.float32, False, True
    return torch.float32, False, False


def _write_record(result: FinetuneResult, base: str, docs: Path, config: FinetuneConfig) -> None:
    import yaml

    (result.adapter / "finetune_config.yaml").write_text(
        yaml.safe_dump(config.to_dict(), sort_keys=False), encoding="utf-8"
    )
    manifest = docs / "manifest.json" if docs.is_dir() else docs.parent / "manifest.json"
    record = {
        "base_model": base,
        "documents": str(docs.resolve()),
        "documents_manifest": str(manifest.resolve()) if manifest.is_file() else None,
        "document_count": result.documents,
        "steps": result.steps,
        "training_tokens": result.tokens,
        "seconds": round(result.seconds, 3),
        "tokens_per_second": round(result.tokens_per_second, 1),
        "device": result.device,
        "final_loss": result.curve.loss[-1] if result.curve.loss else None,
    }
    (result.adapter / "organism.json").write_text(json.dumps(record, indent=1), encoding="utf-8")
