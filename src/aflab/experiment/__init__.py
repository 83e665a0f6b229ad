"""Experiments: configuration, tasks, cost estimate, running with resume."""

from aflab.experiment._config import DEFAULT_MODEL, ConfigError, ExperimentConfig, load_config
from aflab.experiment._plan import CostEstimate, build_tasks, estimate_cost
from aflab.experiment._runner import RunResult, run_experiment

__all__ = [
    "DEFAULT_MODEL",
    "ConfigError",
    "CostEstimate",
    "ExperimentConfig",
    "RunResult",
    "build_tasks",
    "estimate_cost",
    "load_config",
    "run_experiment",
]
