"""``aflab run``: run (or resume) an experiment."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn, get_args

import click
from inspect_ai import Task

from aflab.cli._paths import check_writable_folder
from aflab.experiment import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    ConfigError,
    ExperimentConfig,
    LogDirLockedError,
    RunResult,
    build_tasks,
    estimate_cost,
    load_config,
    run_experiment,
)
from aflab.tasks import ReasoningEffort, TierChoice


def _model_args(values: tuple[str, ...]) -> dict[str, Any] | None:
    if not values:
        return None
    import yaml

    parsed: dict[str, Any] = {}
    for item in values:
        key, sep, raw = item.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"expected KEY=VALUE, got {item!r}", param_hint="-M")
        parsed[key] = yaml.safe_load(raw)
    return parsed


def _warn_needs_judge(config: ExperimentConfig) -> None:
    """Say up front when a setting's compliance cannot be scored offline."""
    if config.judge_model is not None:
        return
    from aflab.settings import load_setting

    for name in config.settings:
        if load_setting(name).compliance.kind == "objective":
            click.echo(
                f"note: compliance in setting {name!r} means following its new objective, which "
                "only a judge can read; without --judge-model those samples stay unscored.",
                err=True,
            )


def _warn_fewer_queries(config: ExperimentConfig, tasks: list[Task]) -> None:
    """Say when a query set holds fewer queries than ``n`` asks for, so all of them run."""
    if config.n is None:
        return
    tiers = 2 if config.tiers == "both" else 1
    notes: list[str] = []
    for task in tasks:
        queries = len(task.dataset) // tiers
        meta = task.metadata or {}
        note = (
            f"note: {meta.get('setting')} ({meta.get('variant')}) has {queries} queries, "
            f"fewer than n={config.n}; all {queries} run."
        )
        if queries < config.n and note not in notes:
            notes.append(note)
            click.echo(note, err=True)


@click.command("run")
@click.argument("experiment", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--model", "-m", "models", multiple=True, help="Inspect model (repeatable).")
@click.option("-M", "model_args", multiple=True, help="Model argument KEY=VALUE (repeatable).")
@click.option("--setting", "-s", "settings", multiple=True, help="Setting (repeatable).")
@click.option("--variant", "-v", "variants", multiple=True, help="Variant spec (repeatable).")
@click.option("--n", type=int, help="Queries per condition (each runs in both tiers).")
@click.option("--epochs", type=int, help="Repeats of every sample.")
@click.option("--tiers", type=click.Choice(get_args(TierChoice)))
@click.option("--temperature", type=float)
@click.option("--seed", type=int)
@click.option("--max-tokens", type=int, help="Token limit per generation.")
@click.option("--max-continuations", type=int, help="<NEXT/> turns after reasoning-only replies.")
@click.option("--max-connections", type=int, help="Concurrent requests per model.")
@click.option(
    "--max-retries",
    type=click.IntRange(min=0),
    help=f"Retries of a failed model or judge call (default {DEFAULT_MAX_RETRIES}); "
    "then the sample is recorded as failed.",
)
@click.option(
    "--timeout",
    type=click.IntRange(min=1),
    help=f"Seconds one model or judge request may take before it is retried "
    f"(default {DEFAULT_TIMEOUT}).",
)
@click.option("--queries", help="Named query set or CSV/JSON/JSONL file.")
@click.option("--query-column", help="Field holding the request in a query file.")
@click.option("--data-dir", help="Folder with the named query sets.")
@click.option("--judge-model", help="Judge model for the classifiers (default: local ones).")
@click.option("--votes", type=int, help="Judge votes per scratchpad (alignment faking).")
@click.option("--af-threshold", type=float, help="Share of yes votes that labels faking.")
@click.option("--frame-votes", type=int, help="Judge votes per text (second-frame readings).")
@click.option("--interview/--no-interview", default=None, help="Ask follow-up questions.")
@click.option(
    "--fresh-interview/--no-fresh-interview",
    default=None,
    help="Show each transcript to the model in a new conversation and ask how it saw it.",
)
@click.option(
    "--reasoning-effort",
    type=click.Choice(get_args(ReasoningEffort)),
    help="Reasoning effort of reasoning models (with variant reasoning=native).",
)
@click.option("--reasoning-tokens", type=int, help="Reasoning token budget (Claude models).")
@click.option("--system-prompt-file", help="Your own system prompt (text or Jinja2).")
@click.option("--user-template-file", help="Your own user-turn template (Jinja2).")
@click.option("--log-dir", help="Inspect log directory (re-use it to resume).")
@click.option("--output", "-o", help="Output directory for results.json and the report.")
@click.option("--report/--no-report", default=None, help="Build the HTML report at the end.")
@click.option("--batch/--no-batch", default=None, help="Provider batch APIs (model and judge).")
@click.option("--cache/--no-cache", default=None, help="Inspect's local response cache.")
@click.option("--prices", help="Your own price table (YAML), over the shipped one.")
@click.option("--dry-run", is_flag=True, help="Print calls, tokens and dollars it would take.")
@click.option("--display", type=click.Choice(["full", "rich", "plain", "log", "none"]))
def run(experiment: Path | None, dry_run: bool, display: str | None, **flags: Any) -> None:
    """Run the alignment-faking experiment in both tiers and print the results table.

    With no arguments: a small demo on the embedded local model. EXPERIMENT is an optional
    YAML file whose keys are the long flag names (models, settings, variants, n, ...); flags
    override it. Re-running with the same --log-dir resumes an interrupted run.
    """
    from aflab.cost import PriceError
    from aflab.data import DataError
    from aflab.settings import SettingError

    flags["model_args"] = _model_args(flags["model_args"])
    for plural in ("models", "settings", "variants"):
        flags[plural] = list(flags[plural]) or None
    try:
        config = load_config(experiment) if experiment else ExperimentConfig()
        config = config.with_overrides(**flags)
        tasks = build_tasks(config, bind=False)  # checks every condition; creates no model
        _warn_needs_judge(config)
        _warn_fewer_queries(config, tasks)
        if dry_run:
            from aflab.cost import dry_run as estimate_dollars

            click.echo(estimate_cost(config, tasks).format())
            click.echo("")
            click.echo(estimate_dollars(config, tasks).format())
            return
        check_writable_folder(Path(config.output), "the results")
        with interrupt_on_sigterm():
            result = run_experiment(config, display=display)
    except (ConfigError, SettingError, DataError, LogDirLockedError, PriceError) as err:
        raise click.ClickException(str(err)) from None

    if result.interrupted:
        _report_interrupted(result)
    from aflab.analysis import format_summary

    click.echo(format_summary(result.summary))
    run_info = result.summary.get("run", {})
    for model, usage in run_info.get("usage", {}).items():
        tokens = ", ".join(f"{k.removesuffix('_tokens')} {v:,}" for k, v in usage.items())
        dollars = run_info.get("cost", {}).get(model, {}).get("dollars")
        cost = "" if dollars is None else f"; ${dollars:,.2f}"
        click.echo(f"usage {model}: {tokens}{cost}")
    click.echo(f"\nresults: {result.results_json}")
    if result.report_html:
        click.echo(f"report:  {result.report_html}")
    click.echo(f"logs:    {result.log_dir}  (inspect view --log-dir {result.log_dir})")
    if not result.success:
        click.echo("\nNot every task finished; run the same command again to resume:", err=True)
        for failure in result.failed_tasks:
            click.echo(f"  {failure}", err=True)
        raise SystemExit(1)


def _report_interrupted(result: RunResult) -> NoReturn:
    """Say what an interrupted run kept and how to go on; exit 130 as shells expect."""
    finished = result.summary.get("finished", 0)
    unfinished = result.summary.get("unfinished", 0)
    click.echo(
        f"\nInterrupted. The logs are kept in {result.log_dir}: {finished} samples finished"
        + (f", {unfinished} were cut off or failed and will run again" if unfinished else "")
        + ".\nRun the same command again to resume; finished samples are not generated again.",
        err=True,
    )
    raise SystemExit(130)


@contextmanager
def interrupt_on_sigterm() -> Iterator[None]:
    """Treat SIGTERM (``kill``, ``timeout``) like Ctrl-C while the block runs.

    SIGINT and SIGTERM are unblocked, and SIGINT no longer ignored, for the block's duration.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def forward(signum: int, frame: FrameType | None) -> None:
        os.kill(os.getpid(), signal.SIGINT)

    # A launcher can leave these signals blocked (its signal mask) or SIGINT ignored (shells
    # do so for background jobs); both are inherited, and the run would then hold the signal
    # and go on to the end. While the run lasts, both stop it.
    mask = signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
    previous_int = signal.getsignal(signal.SIGINT)
    if previous_int == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    previous = signal.signal(signal.SIGTERM, forward)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
        if previous_int == signal.SIG_IGN:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
