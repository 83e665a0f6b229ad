"""Experiments: configuration, tasks, cost estimate, running with resume."""

from aflab.experiment._config import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_MODEL,
    DEFAULT_TIMEOUT,
    DEMO_FIELDS,
    ConfigError,
    ExperimentConfig,
    load_config,
)
from aflab.experiment._lock import LogDirLockedError, lock_log_dir
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
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_MODEL",
    "DEFAULT_TIMEOUT",
    "DEMO_FIELDS",
    "PER_TASK",
    "TASK_ARGUMENTS",
    "ConfigError",
    "CostEstimate",
    "ExperimentConfig",
    "LogDirLockedError",
    "RunResult",
    "build_tasks",
    "estimate_cost",
    "load_config",
    "lock_log_dir",
    "run_experiment",
    "task_arguments",
]
