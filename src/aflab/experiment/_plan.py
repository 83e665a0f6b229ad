"""Turn an experiment configuration into Inspect tasks, and estimate its cost."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from inspect_ai import Task
from inspect_ai.model import Model, ModelName, get_model

from aflab.experiment._config import ExperimentConfig
from aflab.settings import AUTO_COMPANY, expand_variant, parse_variant
from aflab.solvers import DEFAULT_FRESH_QUESTIONS, DEFAULT_INTERVIEW_QUESTIONS
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
    "fresh_interview_questions": "fresh_interview",
    "reasoning_effort": "reasoning_effort",
    "reasoning_tokens": "reasoning_tokens",
    "data_dir": "data_dir",
    "max_tokens": "max_tokens",
}
"""Parameter of the `alignment_faking` task -> the `ExperimentConfig` field that sets it.

Every task parameter but those of `PER_TASK` is here; a test checks this against the task's
signature, the configuration and the ``aflab run`` flags."""

PER_TASK: tuple[str, ...] = ("setting", "variant", "developer_of")
"""Task parameters `build_tasks` sets per task: one task per (setting, variant), and the
developer per model under ``company=auto``."""


def task_arguments(config: ExperimentConfig, *, bind: bool = True) -> dict[str, Any]:
    """The `alignment_faking` task's arguments that come from the configuration.

    Args:
        config: The experiment.
        bind: Bind the judge model (its ``grader`` role); without it nothing connects to the
            judge's provider (a dry run needs no API key).
    """
    arguments = {parameter: getattr(config, name) for parameter, name in TASK_ARGUMENTS.items()}
    if not bind:
        arguments["judge_model"] = None
    return arguments


def build_tasks(
    config: ExperimentConfig, models: list[Model] | None = None, *, bind: bool = True
) -> list[Task]:
    """One task per (setting, variant); models are applied by the runner.

    A variant naming a folder of paraphrase files becomes one task per file. When a variant
    uses ``company=auto`` the prompt depends on the model, so every task is built once per
    model with that model bound to it (see `binds_models`).

    Args:
        config: The experiment.
        models: Model objects to bind instead of ``config.models`` (only with ``company=auto``).
        bind: Bind the models and the judge (False builds the same tasks without creating any
            model, for a cost estimate).
    """
    variants = [spec for variant in config.variants for spec in expand_variant(variant)]
    if not binds_models(config):
        return _tasks(config, variants, None, bind)
    if not bind:
        names = [str(ModelName(m)) for m in models] if models else config.models
        return [task for name in names for task in _tasks(config, variants, name, bind)]
    bound: list[Task] = []
    for model in models or [get_model(name, **config.model_args) for name in config.models]:
        for task in _tasks(config, variants, str(ModelName(model)), bind):
            task.model = model
            bound.append(task)
    return bound


def binds_models(config: ExperimentConfig) -> bool:
    """Whether the tasks carry their own model (a variant uses ``company=auto``)."""
    return any(
        parse_variant(spec).company == AUTO_COMPANY
        for variant in config.variants
        for spec in expand_variant(variant)
    )


def _tasks(config: ExperimentConfig, variants: list[str], developer_of: str | None,
           bind: bool) -> list[Task]:  # fmt: skip
    arguments = task_arguments(config, bind=bind)
    return [
        alignment_faking(
            setting=setting, variant=variant, developer_of=developer_of, **arguments
        )
        for setting in config.settings
        for variant in variants
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

    tasks = tasks if tasks is not None else build_tasks(config, bind=False)
    # Tasks bound to a model already count once per model.
    copies = 1 if binds_models(config) else len(config.models)
    samples = sum(len(t.dataset) for t in tasks) * config.epochs * copies
    turns = (
        1
        + (len(DEFAULT_INTERVIEW_QUESTIONS) if config.interview else 0)
        + (len(DEFAULT_FRESH_QUESTIONS) if config.fresh_interview else 0)
    )
    prompt_tokens = 0
    for t in tasks:
        for sample in t.dataset:
            text = "".join(m.text for m in sample.input) if isinstance(sample.input, list) else ""
            prompt_tokens += len(text) // CHARS_PER_TOKEN
    prompt_tokens *= config.epochs * copies
    max_calls = samples * (turns + config.max_continuations)
    judges = ["compliance", "alignment_faking", "frames"] if config.judge_model else []
    judge = estimate_calls(
        samples,
        votes={"alignment_faking": config.votes, "frames": config.frame_votes},
        judges=judges,
        interview_answers=turns - 1,
    )
    return CostEstimate(
        samples=samples,
        model_calls_min=samples * turns,
        model_calls_max=max_calls,
        model_input_tokens=prompt_tokens * turns,
        model_output_tokens_max=max_calls * config.max_tokens,
        judge_calls=int(judge.get("calls", 0)),
        judge_tokens=int(judge.get("tokens", 0)),
    )
