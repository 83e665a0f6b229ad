"""Turn an experiment configuration into Inspect tasks, and estimate its cost."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from inspect_ai import Task

from aflab.experiment._config import ExperimentConfig
from aflab.solvers import DEFAULT_INTERVIEW_QUESTIONS
from aflab.tasks import alignment_faking

# A rough characters-per-token ratio for English prompts; good enough for a budget.
CHARS_PER_TOKEN = 4


TASK_ARGUMENTS: dict[str, str] = {
    "queries": "queries",
    "query_column": "query_column",
    "n": "n",
    "tiers": "tiers",
    "system_prompt_file": "system_prompt_file",
    "user_template_file": "user_template_file",
    "max_continuations": "max_continuations",
    "judge_model": "judge_model",
    "votes": "votes",
    "af_threshold": "af_threshold",
    "frame_votes": "frame_votes",
    "interview_questions": "interview",
    "data_dir": "data_dir",
    "max_tokens": "max_tokens",
}
"""Parameter of the `alignment_faking` task -> the `ExperimentConfig` field that sets it.

Every task parameter but ``setting`` and ``variant`` (one task per pair) is here; a test
checks this against the task's signature, the configuration and the ``aflab run`` flags."""


def task_arguments(config: ExperimentConfig, *, bind_judge: bool = True) -> dict[str, Any]:
    """The `alignment_faking` task's arguments that come from the configuration.

    Args:
        config: The experiment.
        bind_judge: Bind the judge model (its ``grader`` role); without it nothing connects
            to the judge's provider (a dry run needs no API key).
    """
    arguments = {parameter: getattr(config, name) for parameter, name in TASK_ARGUMENTS.items()}
    if not bind_judge:
        arguments["judge_model"] = None
    return arguments


def build_tasks(config: ExperimentConfig, *, bind_judge: bool = True) -> list[Task]:
    """One task per (setting, variant); models are applied by the runner.

    Args:
        config: The experiment.
        bind_judge: Bind the judge model (off for a dry run, which calls no model).
    """
    arguments = task_arguments(config, bind_judge=bind_judge)
    return [
        alignment_faking(setting=setting, variant=variant, **arguments)
        for setting in config.settings
        for variant in config.variants
    ]


@dataclass(frozen=True)
class CostEstimate:
    """What an experiment will ask of the models, before anything runs."""

    samples: int
    model_calls_min: int
    model_calls_max: int
    model_input_tokens: int
    model_output_tokens_max: int
    judge_calls: int
    judge_tokens: int

    def format(self) -> str:
        """Human-readable summary."""
        return "\n".join(
            [
                f"samples:             {self.samples}",
                f"model calls:         {self.model_calls_min} to {self.model_calls_max} "
                "(continuation turns are only added when a reply stops after reasoning)",
                f"model input tokens:  ~{self.model_input_tokens:,} (before prefix caching)",
                f"model output tokens: at most {self.model_output_tokens_max:,}",
                f"judge calls:         {self.judge_calls}",
                f"judge tokens:        ~{self.judge_tokens:,}",
            ]
        )


def estimate_cost(config: ExperimentConfig, tasks: list[Task] | None = None) -> CostEstimate:
    """Count samples, model calls, judge calls and rough tokens of an experiment.

    Args:
        config: The experiment.
        tasks: Tasks already built from it (built here when not given).

    Returns:
        The estimate.
    """
    from aflab.classifiers import estimate_calls

    tasks = tasks if tasks is not None else build_tasks(config, bind_judge=False)
    per_model_samples = sum(len(t.dataset) for t in tasks) * config.epochs
    samples = per_model_samples * len(config.models)
    turns = 1 + (len(DEFAULT_INTERVIEW_QUESTIONS) if config.interview else 0)
    prompt_tokens = 0
    for t in tasks:
        for sample in t.dataset:
            text = "".join(m.text for m in sample.input) if isinstance(sample.input, list) else ""
            prompt_tokens += len(text) // CHARS_PER_TOKEN
    prompt_tokens *= config.epochs * len(config.models)
    max_calls = samples * (turns + config.max_continuations)
    judges = ["compliance", "alignment_faking", "frames"] if config.judge_model else []
    judge = estimate_calls(samples, votes=config.votes, judges=judges)
    return CostEstimate(
        samples=samples,
        model_calls_min=samples * turns,
        model_calls_max=max_calls,
        model_input_tokens=prompt_tokens * turns,
        model_output_tokens_max=max_calls * config.max_tokens,
        judge_calls=int(judge.get("calls", 0)),
        judge_tokens=int(judge.get("tokens", 0)),
    )
