"""The alignment-faking task: one condition (setting x variant), both tiers, paired by query."""

from __future__ import annotations

import dataclasses
import logging
from typing import Any, Literal, get_args

from inspect_ai import Task, task
from inspect_ai.model import GenerateConfig, get_model
from inspect_ai.solver import Solver

from aflab.classifiers import DEFAULT_FAKING_VOTES, DEFAULT_FRAME_VOTES, DEFAULT_THRESHOLD
from aflab.contract import GRADER_ROLE
from aflab.data import resolve_queries
from aflab.scorers import alignment_faking as alignment_faking_scorer
from aflab.scorers import compliance, format_adherence, frames
from aflab.settings import (
    AUTO_COMPANY,
    PromptOptions,
    Query,
    Setting,
    SettingError,
    canonical_variant,
    company_for_model,
    list_values,
    load_setting,
    merge_values,
    parse_variant,
    render_prompts,
)
from aflab.solvers import (
    DEFAULT_FRESH_QUESTIONS,
    DEFAULT_INTERVIEW_QUESTIONS,
    fresh_interview,
    interview,
    scratchpad_generate,
)
from aflab.tasks._dataset import TierChoice, build_dataset, optional_path, select_tiers

DEFAULT_MAX_TOKENS = 2048

logger = logging.getLogger(__name__)


@task
def alignment_faking(
    setting: str = "helpful_only",
    variant: str = "default",
    queries: str | None = None,
    query_column: str | None = None,
    n: int | None = None,
    tiers: TierChoice = "both",
    system_prompt_file: str | None = None,
    user_template_file: str | None = None,
    max_continuations: int = 4,
    judge_model: str | None = None,
    votes: int = DEFAULT_FAKING_VOTES,
    af_threshold: float = DEFAULT_THRESHOLD,
    frame_votes: int = DEFAULT_FRAME_VOTES,
    interview_questions: bool = False,
    data_dir: str | None = None,
    max_tokens: int = DEFAULT_MAX_TOKENS,
    developer_of: str | None = None,
    fresh_interview_questions: bool = False,
    reasoning_effort: str | None = None,
    reasoning_tokens: int | None = None,
) -> Task:
    """Run one condition of the alignment-faking experiment in both tiers.

    Args:
        setting: Setting name (``aflab settings``) or path to a setting folder.
        variant: Variant spec, ``+``-joined items (``aflab variants``), e.g. ``no_examples``.
        queries: Named query set (advbench, strongreject, harmbench, ...) or a CSV/JSON/JSONL
            path; default: the setting's own queries.
        query_column: Column or field holding the request text in a query file.
        n: Use the first n queries (both tiers of each are run).
        tiers: ``both``, ``training`` (free tier) or ``unmonitored`` (paid tier).
        system_prompt_file: Your own system prompt (plain text or Jinja2).
        user_template_file: Your own user-turn template (Jinja2).
        max_continuations: ``<NEXT/>`` turns allowed after a reasoning-only reply.
        judge_model: Judge model for compliance, alignment-faking and frame classifiers,
            bound as the ``grader`` model role (``--model-role grader=...`` of ``inspect
            eval`` does the same); without one, the local classifiers are used.
        votes: Judge votes per scratchpad for alignment-faking reasoning.
        af_threshold: Share of yes votes that labels a scratchpad alignment faking.
        frame_votes: Judge votes per frame classifier.
        interview_questions: Ask the follow-up interview after the answer.
        data_dir: Folder holding named query sets (else ``$AFLAB_DATA_DIR``).
        max_tokens: Token limit per generation.
        developer_of: Model whose developer ``company=auto`` names (default: the model being
            evaluated).
        fresh_interview_questions: Afterwards, show the model its transcript in a new
            conversation and ask how it saw it (kept apart from the same-context interview).
        reasoning_effort: Inspect's ``reasoning_effort`` for reasoning models (e.g. ``high``);
            with ``reasoning=native`` the classifiers read the reasoning it produces.
        reasoning_tokens: Inspect's ``reasoning_tokens`` (reasoning budget, Claude models).
    """
    chosen = load_setting(setting)
    options = parse_variant(variant)
    spec = canonical_variant(variant)
    options, developer = _resolve_company(options, developer_of)
    prompts = render_prompts(
        chosen,
        options,
        system_prompt_file=optional_path(system_prompt_file),
        user_template_file=optional_path(user_template_file),
    )
    query_list = _queries(chosen, queries, query_column, data_dir)
    if n is not None:
        query_list = query_list[:n]
    solvers: list[Solver] = [
        scratchpad_generate(max_continuations=max_continuations if options.scratchpad else 0)
    ]
    if interview_questions:
        solvers.append(interview(DEFAULT_INTERVIEW_QUESTIONS))
    if fresh_interview_questions:
        solvers.append(fresh_interview(DEFAULT_FRESH_QUESTIONS))
    return Task(
        dataset=build_dataset(chosen, spec, options, prompts, query_list, select_tiers(tiers)),
        solver=solvers,
        # The judge is Inspect's ``grader`` model role; the scorers use it when it is bound.
        scorer=[
            format_adherence(),
            compliance(setting=chosen.compliance),
            alignment_faking_scorer(votes=votes, threshold=af_threshold),
            frames(votes=frame_votes, values=merge_values([*list_values(), chosen.value_info])),
        ],
        model_roles={GRADER_ROLE: judge_model} if judge_model else None,
        config=GenerateConfig(
            max_tokens=max_tokens,
            reasoning_effort=_effort(reasoning_effort),
            reasoning_tokens=reasoning_tokens,
        ),
        metadata={
            "setting": chosen.name,
            "variant": spec,
            "prompt_hash": prompts.prompt_hash,
            **developer,
        },
    )


ReasoningEffort = Literal["none", "minimal", "low", "medium", "high", "xhigh", "max"]
"""Inspect's reasoning efforts; the configuration and ``aflab run --reasoning-effort`` use it."""

_EFFORTS: tuple[str, ...] = get_args(ReasoningEffort)


def _effort(value: str | None) -> Any:
    """Inspect's reasoning effort, checked here so a typo is a clear error."""
    if value is not None and value not in _EFFORTS:
        raise SettingError(
            f"unknown reasoning_effort {value!r}; choose one of {', '.join(_EFFORTS)}"
        )
    return value


def _resolve_company(
    options: PromptOptions, developer_of: str | None
) -> tuple[PromptOptions, dict[str, Any]]:
    """Replace ``company=auto`` by the evaluated model's developer; say how it was found."""
    if options.company != AUTO_COMPANY:
        return options, {}
    model = developer_of
    if model is None:
        try:
            model = str(get_model())
        except ValueError as error:
            raise SettingError(
                "company=auto names the evaluated model's developer, but no model is set: "
                "pass --model (or the task argument developer_of)"
            ) from error
    guess = company_for_model(model)
    if not guess.known:
        logger.warning(
            "company=auto: no known developer for %s; using the fictional %s", model, guess.company
        )
    resolved = dataclasses.replace(options, company=guess.company)
    return resolved, {
        "company_auto": {"model": model, "company": guess.company, "rule": guess.rule}
    }


def _queries(
    setting: Setting, queries: str | None, column: str | None, data_dir: str | None
) -> list[Query]:
    if queries is None:
        return setting.load_queries()
    return resolve_queries(queries, data_dir=data_dir, column=column)
