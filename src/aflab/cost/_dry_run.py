"""The dry-run table (per model and judge) and the actual dollars of a finished run."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from inspect_ai import Task
from inspect_ai.model import ModelUsage

from aflab.cost._estimate import CostLine, Workload, judge_lines, model_line
from aflab.cost._prices import PriceTable, load_prices

if TYPE_CHECKING:
    from aflab.experiment import ExperimentConfig


@dataclass(frozen=True)
class DryRun:
    """Expected calls, tokens and dollars of an experiment, one line per model and judge."""

    lines: tuple[CostLine, ...]
    prices_as_of: str
    batch: bool

    @property
    def dollars(self) -> float | None:
        """Expected dollars in all (None when some model has no price)."""
        values = [line.dollars for line in self.lines]
        return None if any(v is None for v in values) else sum(v or 0.0 for v in values)

    def format(self) -> str:
        """The table printed by `aflab run --dry-run`."""
        header = (f"{'who':24} {'model':36} {'calls':>8} {'input':>12} {'cache read':>12} "
                  f"{'cache write':>11} {'output':>11} {'dollars':>10} {'at most':>10}")
        rows = [header]
        for line in self.lines:
            rows.append(
                f"{line.role:24} {line.model[:36]:36} {line.calls:>8,} {line.input_tokens:>12,} "
                f"{line.input_tokens_cache_read:>12,} {line.input_tokens_cache_write:>11,} "
                f"{line.output_tokens:>11,} {_money(line.dollars):>10} "
                f"{_money(line.dollars_max):>10}"
            )
        total = self.dollars
        rows.append(f"expected total: {_money(total)}"
                    + (" (batch API prices)" if self.batch else "")
                    + f"; prices as of {self.prices_as_of or 'unknown'}")
        rows.append("input = uncached input tokens; 'at most' counts every continuation turn "
                    "and full max_tokens replies; '-' = no price for that model (--prices FILE)")
        return "\n".join(rows)


def dry_run(
    config: ExperimentConfig,
    tasks: Sequence[Task],
    *,
    prices: PriceTable | None = None,
    reply_tokens: int | None = None,
) -> DryRun:
    """Estimate the experiment per model under test and per judge.

    Args:
        config: The experiment (models, epochs, interview, judge, votes, batch, prices).
        tasks: Its tasks (one per setting and variant).
        prices: The price table (default: shipped table plus `config.prices`).
        reply_tokens: Expected tokens per reply (default `DEFAULT_REPLY_TOKENS`).
    """
    from aflab.solvers import DEFAULT_INTERVIEW_QUESTIONS

    prices = prices or load_prices(getattr(config, "prices", None))
    batch = bool(getattr(config, "batch", False))
    questions = DEFAULT_INTERVIEW_QUESTIONS if config.interview else ()
    work = Workload.from_tasks(
        tasks,
        epochs=config.epochs,
        interview_questions=questions,
        max_continuations=config.max_continuations,
        max_tokens=config.max_tokens,
        reply_tokens=reply_tokens,
    )
    lines = [model_line(model, work, prices, batch=batch) for model in config.models]
    if config.judge_model and "/" in config.judge_model:
        lines += judge_lines(
            config.judge_model,
            work.samples * len(config.models),
            prices,
            votes=config.votes,
            frame_votes=config.frame_votes,
            interview_answers=len(questions),
            batch=batch,
        )
    return DryRun(tuple(lines), prices.as_of, batch)


def actual_cost(
    usage: Mapping[str, Mapping[str, Any]], prices: PriceTable, *, batch: bool = False
) -> dict[str, dict[str, Any]]:
    """Tokens and dollars per model of a finished run (`dollars` None without a price).

    Args:
        usage: Token counts per model, as Inspect's `ModelUsage` fields.
        prices: The price table.
        batch: Whether the batch API was used (its discount applies).
    """
    out: dict[str, dict[str, Any]] = {}
    for model, counts in usage.items():
        fields = {k: int(v) for k, v in counts.items() if k in ModelUsage.model_fields
                  and isinstance(v, int)}
        price = prices.price(model)
        dollars = None if price is None else price.dollars(ModelUsage(**fields), batch=batch)
        out[model] = {**fields, "dollars": dollars}
    return out


def _money(value: float | None) -> str:
    return "-" if value is None else f"${value:,.2f}"
