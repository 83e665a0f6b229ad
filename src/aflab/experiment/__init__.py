"""Experiments: configuration, tasks, cost estimate, running with resume."""

from aflab.experiment._config import (
    DEFAULT_MODEL,
    DEMO_FIELDS,
    ConfigError,
    ExperimentConfig,
    load_config,
)
from aflab.experiment._plan import (
    PER_TASK,
    TASK_ARGUMENTS,
    CostEstimate,
    build_tasks,
    estimate_cost,
    task_arguments,
)
from aflab.experiment._runner import RunResult, run_experiment

__all__ = [
    "DEFAULT_MODEL",
    "DEMO_FIELDS",
    "PER_TASK",
    "TASK_ARGUMENTS",
    "ConfigError",
    "CostEstimate",
    "ExperimentConfig",
    "RunResult",
    "build_tasks",
    "estimate_cost",
    "load_config",
    "run_experiment",
    "task_arguments",
]
