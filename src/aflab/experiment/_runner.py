"""Run an experiment with resume, then summarise it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inspect_ai import eval_set
from inspect_ai.log import EvalLog
from inspect_ai.model import GenerateConfig, Model, get_model

from aflab.contract import GRADER_ROLE
from aflab.experiment._config import ConfigError, ExperimentConfig
from aflab.experiment._lock import lock_log_dir
from aflab.experiment._plan import binds_models, build_tasks

if TYPE_CHECKING:
    from aflab.analysis import Analysis

# Task-level retries inside one `aflab run`; samples finished before a failure are kept and
# reused by each retry, and by the next `aflab run` on the same log directory.
RETRY_ATTEMPTS = 2


@dataclass
class RunResult:
    """What a run produced.

    Attributes:
        success: Every task finished.
        log_dir: The Inspect log directory.
        output_dir: Where ``results.json`` and the report were written.
        results_json: The ``results.json`` file.
        report_html: The report page, when one was built.
        summary: The ``results.json`` payload.
        failed_tasks: One line per task that did not finish.
        analysis: The analysis ``results.json`` and the report render.
        interrupted: The run was stopped by Ctrl-C or SIGTERM (``summary`` then counts the
            samples finished so far).
    """

    success: bool
    log_dir: Path
    output_dir: Path
    results_json: Path | None = None
    report_html: Path | None = None
    summary: dict[str, Any] = field(default_factory=dict)
    failed_tasks: list[str] = field(default_factory=list)
    analysis: Analysis | None = None
    interrupted: bool = False


def run_experiment(
    config: ExperimentConfig,
    *,
    models: list[Model] | None = None,
    display: str | None = None,
) -> RunResult:
    """Run (or resume) an experiment and write ``results.json`` and the report.

    Re-running with the same ``log_dir`` resumes: finished samples are read back from the
    logs and not generated again.

    Args:
        config: The experiment.
        models: Model objects to use instead of ``config.models`` (tests pass mockllm models).
        display: Inspect display type (``rich``, ``plain``, ``none``...); Inspect's default
            when None.

    Returns:
        The run result; ``success`` is False when some task did not finish, and
        ``interrupted`` is True after Ctrl-C or SIGTERM (the logs are kept; ``summary`` then
        counts the samples finished so far).

    Raises:
        ConfigError: The log directory holds logs of a different experiment.
        LogDirLockedError: Another run is using the log directory.
    """
    log_dir = Path(config.log_dir)
    output_dir = Path(config.output)
    roles = _judge_roles(config)
    # A judge bound as the grader role carries the run's retry limit and timeout (Inspect
    # passes only some of the run's settings on to models other than the one under test).
    tasks = build_tasks(
        config.model_copy(update={"judge_model": None}) if roles else config, models
    )
    bound = binds_models(config)
    generate: dict[str, Any] = {
        "temperature": config.temperature,
        "seed": config.seed,
        "max_retries": config.max_retries,
        "attempt_timeout": config.timeout,
    }
    if config.max_connections is not None:
        generate["max_connections"] = config.max_connections
        # Twice as many samples as connections, so that a connection is not left idle while
        # its sample is scored and logged (see benchmarks/concurrency.py).
        generate["max_samples"] = 2 * config.max_connections
    _batch_and_cache(config, generate)
    with lock_log_dir(log_dir):
        try:
            success, logs = eval_set(
                tasks,
                log_dir=str(log_dir),
                model=None if bound else models if models is not None else config.models,
                model_args=config.model_args,
                model_roles=roles,
                epochs=config.epochs,
                retry_attempts=RETRY_ATTEMPTS,
                retry_wait=1,
                # A sample that still fails after its retries is recorded as an error and the
                # others go on; the task then counts as failed, so the run ends with the
                # resume hint and the next run retries only what failed.
                continue_on_fail=True,
                display=display,  # type: ignore[arg-type]
                # No running metrics when nothing is displayed (Inspect recomputes them over
                # every finished sample about once a second).
                score_display=False if display == "none" else None,
                **{k: v for k, v in generate.items() if v is not None},
            )
        except KeyboardInterrupt:
            success, logs = False, []
        except Exception as err:
            # Inspect refuses a log directory holding another experiment with its
            # PrerequisiteError, which it does not export: recognised by name, anything else
            # propagates unchanged.
            if type(err).__name__ != "PrerequisiteError":
                raise
            raise ConfigError(
                f"{err}\n\nThe log directory {log_dir} holds logs of a different experiment. "
                "Re-run with the same settings to resume it, or pass a new --log-dir."
            ) from None
        interrupted = not logs or any(log.status == "cancelled" for log in logs)
        result = RunResult(
            success=success and not interrupted,
            log_dir=log_dir,
            output_dir=output_dir,
            failed_tasks=[_describe_failure(log) for log in logs if log.status != "success"],
            interrupted=interrupted,
        )
        if interrupted:
            result.summary = _finished_so_far(log_dir)
        else:
            _write_outputs(result, logs, config)
    return result


def _judge_roles(config: ExperimentConfig) -> dict[str, Model] | None:
    if config.judge_model is None:
        return None
    judge_config = GenerateConfig(
        max_retries=config.max_retries,
        attempt_timeout=config.timeout,
        batch=config.batch or None,
    )
    return {GRADER_ROLE: get_model(config.judge_model, config=judge_config, memoize=False)}


def _finished_so_far(log_dir: Path) -> dict[str, Any]:
    """Count the samples the logs of an interrupted run hold (each sample once)."""
    from aflab.analysis import AnalysisError, collect_log_warnings, samples_table

    try:
        # The logs are unfinished by design here; the caller says so in its own words.
        with collect_log_warnings():
            rows = samples_table(log_dir)
    except AnalysisError:
        return {"finished": 0, "unfinished": 0}
    unfinished = int(rows["error"].notna().sum()) if "error" in rows else 0
    return {"finished": len(rows) - unfinished, "unfinished": unfinished}


def _write_outputs(result: RunResult, logs: list[EvalLog], config: ExperimentConfig) -> None:
    """Analyse the logs once and write ``results.json`` (and the report) from that analysis."""
    log_files = [log.location for log in logs if log.location]
    result.output_dir.mkdir(parents=True, exist_ok=True)
    run: dict[str, Any] = {
        "complete": result.success,
        "failed_tasks": result.failed_tasks,
        "log_dir": str(result.log_dir),
        "usage": model_usage(logs),
    }
    from aflab.cost import actual_cost, load_prices

    # Dollars at the price table's rates; None for a model the table does not price.
    run["cost"] = actual_cost(run["usage"], load_prices(config.prices), batch=bool(config.batch))
    if config.report:
        from aflab.report import build_report

        report = build_report(log_files, result.output_dir, run=run)
        result.report_html = Path(report.index_html)
        result.results_json = report.results_json
        analysis = report.analysis
    else:
        from aflab.analysis import analyze

        analysis = analyze(log_files)
        result.results_json = analysis.write_json(result.output_dir / "results.json", run)
    result.analysis = analysis
    result.summary = analysis.payload(run)


def _batch_and_cache(config: ExperimentConfig, generate: dict[str, Any]) -> None:
    """Turn on Inspect's batch mode and local response cache for the model under test.

    The judges inherit `cache` from the run; batch mode is not inherited, so the judge's own
    config carries it (`_judge_roles`).
    """
    if config.cache:
        generate["cache"] = True
    if config.batch:
        generate["batch"] = config.batch


def model_usage(logs: list[EvalLog]) -> dict[str, dict[str, int]]:
    """Calls' token usage per model (the tested models and any judge) summed over the logs."""
    totals: dict[str, dict[str, int]] = {}
    for log in logs:
        for model, usage in log.stats.model_usage.items():
            entry = totals.setdefault(model, {})
            for key, value in usage.model_dump(exclude_none=True).items():
                if isinstance(value, int):
                    entry[key] = entry.get(key, 0) + value
    return totals


def _describe_failure(log: EvalLog) -> str:
    message = log.error.message if log.error else log.status
    return f"{log.eval.task} ({log.eval.model}): {message}"
