"""``aflab docs generate`` and ``aflab finetune``: the synthetic-document route."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from aflab.experiment import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT


@click.group("docs")
def docs_command() -> None:
    """Synthetic documents that convey a setting's training facts."""


@docs_command.command("generate")
@click.option("--setting", "-s", default="helpful_only", show_default=True,
              help="Setting whose training facts the documents convey.")
@click.option("--model", "-m", required=True, help="Inspect model that writes the documents.")
@click.option("--n", type=int, default=20, show_default=True, help="Documents to ask for.")
@click.option("--out", "-o", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (documents.jsonl, rejected.jsonl, manifest.json, logs/).")
@click.option("--judge-model", help="Model that checks the facts (default: offline keywords).")
@click.option("--company", help="The developer's name in the documents.")
@click.option("--facts", help="Comma-separated fact ids to cover (default: all).")
@click.option("--kinds", help="Comma-separated document kinds (default: all).")
@click.option("--facts-per-document", type=int, default=2, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--max-tokens", type=int, default=1500, show_default=True)
@click.option("--temperature", type=float, default=1.0, show_default=True)
@click.option("--dedupe-threshold", type=float, default=0.6, show_default=True,
              help="Shingle Jaccard similarity that marks a near-copy.")
@click.option("--cache/--no-cache", default=True, show_default=True,
              help="Reuse cached generations (a re-run costs nothing).")
@click.option("--batch", is_flag=True, help="Use the provider's batch API.")
@click.option("--max-connections", type=int, help="Concurrent requests to the writer.")
@click.option("--max-retries", type=click.IntRange(min=0),
              help=f"Retries of a failed writer or judge call (default {DEFAULT_MAX_RETRIES}); "
              "then the document is recorded as failed.")
@click.option("--timeout", type=click.IntRange(min=1),
              help="Seconds one writer or judge request may take before it is retried "
              f"(default {DEFAULT_TIMEOUT}).")
@click.option("--price", nargs=2, type=float, metavar="INPUT OUTPUT",
              help="Dollars per million input and output tokens, for the cost.")
@click.option("--prices", type=click.Path(dir_okay=False, path_type=Path),
              help="Your own price table (YAML), over the shipped one.")
@click.option("--dry-run", is_flag=True, help="Print calls, tokens and cost; call nothing.")
@click.option("--display", type=click.Choice(["full", "rich", "plain", "log", "none"]))
def generate_command(
    setting: str,
    model: str,
    n: int,
    out: Path,
    judge_model: str | None,
    dry_run: bool,
    price: tuple[float, float] | None,
    prices: Path | None,
    dedupe_threshold: float,
    batch: bool,
    max_connections: int | None,
    max_retries: int | None,
    timeout: int | None,
    display: str | None,
    **task_args: Any,
) -> None:
    """Write documents, keep those that convey a fact and contradict none, drop near-copies."""
    from aflab.cost import PriceError, load_prices
    from aflab.organisms import estimate_documents, generate_documents, synthetic_documents
    from aflab.settings import SettingError

    args = {key: value for key, value in task_args.items() if value is not None}
    price = price or None
    limits = {key: value for key, value in
              (("max_retries", max_retries), ("timeout", timeout)) if value is not None}
    try:
        table = load_prices(prices)
        if dry_run:
            task = synthetic_documents(setting=setting, n=n, judge=judge_model is not None,
                                       **args)
            facts = len({f for s in task.dataset for f in (s.metadata or {})["targets"]})
            click.echo(estimate_documents(task, model, judge_model=judge_model, facts=facts,
                                          price=price, prices=table, batch=batch).format())
            return
        result = generate_documents(
            setting, model, n, out, judge_model=judge_model, dedupe_threshold=dedupe_threshold,
            price=price, prices=table, display=display, batch=batch,
            max_connections=max_connections, **limits, **args,
        )
    except (SettingError, PriceError, ValueError, RuntimeError) as error:
        raise click.ClickException(str(error)) from None
    manifest = result.manifest
    click.echo(f"kept {manifest['kept']} of {manifest['requested']} documents")
    for reason, count in manifest["rejections"].items():
        click.echo(f"  rejected, {reason}: {count}")
    click.echo(f"documents: {out / 'documents.jsonl'}")
    click.echo(f"manifest:  {out / 'manifest.json'}")


@click.command("finetune")
@click.option("--base", required=True, help="Base model: Hugging Face id or local folder.")
@click.option("--docs", "docs", required=True, type=click.Path(exists=True, path_type=Path),
              help="Documents folder from `aflab docs generate` (or a JSONL file).")
@click.option("--out", "-o", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Adapter folder to write.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, exists=True,
              path_type=Path), help="Hyper-parameter YAML (default: the shipped one).")
@click.option("--max-steps", type=int, help="Stop after this many optimiser steps.")
@click.option("--epochs", type=float, help="Passes over the documents.")
@click.option("--learning-rate", type=float)
@click.option("--report-to", default="none", show_default=True,
              help="Trainer logging integration (none, wandb, tensorboard, ...).")
def finetune_command(
    base: str,
    docs: Path,
    out: Path,
    config_path: Path | None,
    max_steps: int | None,
    epochs: float | None,
    learning_rate: float | None,
    report_to: str,
) -> None:
    """LoRA continued pre-training of BASE on the documents (TRL + PEFT; extra `organisms`)."""
    from aflab.organisms import (
        ConfigError,
        DocumentsError,
        MissingExtraError,
        finetune,
        load_config,
        require_extra,
    )

    try:
        require_extra()
        config = load_config(config_path).with_training(
            max_steps=max_steps, epochs=epochs, learning_rate=learning_rate
        )
        result = finetune(base, docs, out, config, report_to=report_to)
    except (MissingExtraError, ConfigError, DocumentsError) as error:
        raise click.ClickException(str(error)) from None
    loss = result.curve.loss
    click.echo(
        f"{result.steps} steps on {result.documents} documents ({result.device}), "
        f"{result.tokens:,} tokens in {result.seconds:.1f} s "
        f"({result.tokens_per_second:,.0f} tokens/s)"
    )
    if loss:
        click.echo(f"loss {loss[0]:.3f} -> {loss[-1]:.3f}")
    click.echo(f"adapter: {out}  (curve: {out / 'training_curve.png'})")
    click.echo(
        f"evaluate: aflab run --model hf/organism -M model_path={out} --variant facts=none"
    )
