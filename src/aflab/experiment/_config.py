"""Experiment configuration: from flags or a YAML file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from aflab.classifiers import DEFAULT_FAKING_VOTES, DEFAULT_FRAME_VOTES, DEFAULT_THRESHOLD
from aflab.experiment._model_names import check_model_name
from aflab.settings._text import read_text
from aflab.tasks import ReasoningEffort, TierChoice

DEFAULT_MODEL = "aflab-llamacpp/smollm2"
# A failing model or judge call is retried this many times (with Inspect's backoff), then the
# sample is recorded as failed; the next `aflab run` on the same log directory retries it.
DEFAULT_MAX_RETRIES = 5
# Seconds one request may take before it is abandoned and retried.
DEFAULT_TIMEOUT = 300

DEMO_FIELDS: tuple[str, ...] = ("n", "max_tokens", "max_continuations")
"""Fields whose default is the small demo's, not the `alignment_faking` task's own."""


class ConfigError(ValueError):
    """An experiment file or flag that cannot be used; the message says what and where."""


class ExperimentConfig(BaseModel):
    """Everything that defines an experiment run.

    The defaults are the small demo: the embedded model, ``helpful_only``, both tiers, a few
    queries, short generations (`DEMO_FIELDS`); every other field the task takes has the
    task's default. Each field is an ``aflab run`` flag of the same name and a key of the
    experiment YAML file.
    """

    model_config = ConfigDict(extra="forbid")

    models: list[str] = Field(default_factory=lambda: [DEFAULT_MODEL])
    model_args: dict[str, Any] = Field(default_factory=dict)
    settings: list[str] = Field(default_factory=lambda: ["helpful_only"])
    variants: list[str] = Field(default_factory=lambda: ["default"])
    queries: str | None = None
    query_column: str | None = None
    data_dir: str | None = None
    n: int | None = Field(default=4, ge=1, strict=True)
    epochs: int = Field(default=1, ge=1, strict=True)
    tiers: TierChoice = "both"
    temperature: float | None = Field(default=1.0, ge=0.0, allow_inf_nan=False)
    seed: int | None = Field(default=0, strict=True)
    max_tokens: int = Field(default=400, ge=16, strict=True)
    max_continuations: int = Field(default=2, ge=0, strict=True)
    max_connections: int | None = Field(default=None, ge=1, strict=True)
    max_retries: int = Field(default=DEFAULT_MAX_RETRIES, ge=0, strict=True)
    timeout: int = Field(default=DEFAULT_TIMEOUT, ge=1, strict=True)
    judge_model: str | None = None
    votes: int = Field(default=DEFAULT_FAKING_VOTES, ge=1, strict=True)
    af_threshold: float = Field(default=DEFAULT_THRESHOLD, ge=0.0, le=1.0, allow_inf_nan=False)
    frame_votes: int = Field(default=DEFAULT_FRAME_VOTES, ge=1, strict=True)
    interview: bool = Field(default=False, strict=True)
    fresh_interview: bool = Field(default=False, strict=True)
    reasoning_effort: ReasoningEffort | None = None
    reasoning_tokens: int | None = Field(default=None, ge=1, strict=True)
    system_prompt_file: str | None = None
    user_template_file: str | None = None
    log_dir: str = "logs/aflab"
    output: str = "aflab-output"
    report: bool = True
    batch: bool | int = False
    cache: bool = False
    prices: str | None = None

    @field_validator("models", "settings", "variants")
    @classmethod
    def _non_empty(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("must name at least one")
        return value

    @field_validator("models")
    @classmethod
    def _known_models(cls, value: list[str]) -> list[str]:
        problems = [p for p in (check_model_name(name) for name in value) if p]
        if problems:
            raise ValueError("; ".join(problems))
        return value

    @field_validator("judge_model")
    @classmethod
    def _known_judge(cls, value: str | None) -> str | None:
        problem = None if value is None else check_model_name(value, "judge model")
        if problem:
            raise ValueError(problem)
        return value

    def with_overrides(self, **overrides: Any) -> ExperimentConfig:
        """A copy with the given fields replaced (None values are ignored)."""
        changes = {k: v for k, v in overrides.items() if v is not None}
        try:
            return ExperimentConfig.model_validate({**self.model_dump(), **changes})
        except ValidationError as err:
            raise ConfigError(_describe(err, "command-line flags")) from None


def load_config(path: str | Path) -> ExperimentConfig:
    """Read an experiment YAML file.

    Single values are accepted where lists are expected (``model: openai/gpt-4o``).

    Args:
        path: The YAML file.

    Returns:
        The validated configuration.
    """
    path = Path(path)
    text = read_text(path, "experiment file", ConfigError)
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise ConfigError(f"{path}: not valid YAML: {err}") from None
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping of settings, got {type(raw).__name__}")
    for single, plural in (("model", "models"), ("setting", "settings"), ("variant", "variants")):
        if single in raw:
            value = raw.pop(single)
            raw[plural] = value if isinstance(value, list) else [value]
    for plural in ("models", "settings", "variants"):
        if isinstance(raw.get(plural), str):
            raw[plural] = [raw[plural]]
    try:
        return ExperimentConfig.model_validate(raw)
    except ValidationError as err:
        raise ConfigError(_describe(err, str(path))) from None


def _describe(err: ValidationError, where: str) -> str:
    lines = [f"{where}: invalid experiment configuration"]
    for problem in err.errors():
        field = ".".join(str(p) for p in problem["loc"]) or "(top level)"
        lines.append(f"  {field}: {problem['msg'].removeprefix('Value error, ')}")
    return "\n".join(lines)
