"""Dollars before and after a run: the shipped price table, dry-run estimates, actual cost."""

from aflab.cost._dry_run import DryRun, actual_cost, dry_run
from aflab.cost._estimate import DEFAULT_REPLY_TOKENS, CostLine, Workload, judge_lines, model_line
from aflab.cost._prices import ModelPrice, PriceError, PriceTable, load_prices
from aflab.cost._tokens import count_tokens

__all__ = [
    "DEFAULT_REPLY_TOKENS",
    "CostLine",
    "DryRun",
    "ModelPrice",
    "PriceError",
    "PriceTable",
    "Workload",
    "actual_cost",
    "count_tokens",
    "dry_run",
    "judge_lines",
    "load_prices",
    "model_line",
]
