"""Shared machinery for model judges: votes, retries and usage counting.

A judge (`aflab.classifiers._judge_spec.JudgeSpec`) is a prompt builder and a reply parser;
this module sends its prompt N times, retries unparseable replies and failed calls, and records
what each call cost. Only two things make a vote fail: the model call raising (a provider error
after Inspect's own retries) and the reply not parsing (`JudgeParseError`). Any other error,
such as a bug in a parser, propagates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import anyio
from inspect_ai.model import GenerateConfig, Model, get_model, model_roles
from inspect_ai.util import LimitExceededError

from aflab.classifiers._judge_prompt import (
    JudgeConfigError,
    JudgeError,
    JudgeParseError,
    JudgePrompt,
)
from aflab.contract import GRADER_ROLE

__all__ = [
    "GRADER_ROLE",
    "Ballot",
    "BallotBox",
    "JudgeConfigError",
    "JudgeError",
    "JudgeParseError",
    "cast_votes",
    "resolve_judge",
    "vote_records",
]

T = TypeVar("T")



def resolve_judge(model: str | Model | None) -> Model | None:
    """Find the judge model.

    A name is always a model name; a judge given by role is Inspect's ``grader`` model role,
    bound for the run (``--model-role grader=...``, or the task's ``judge_model``).

    Args:
        model: A `Model`, a model name (``provider/model``), or None for the ``grader`` role
            if one is bound.

    Returns:
        The model, or None when no judge was given and no grader role is bound.

    Raises:
        JudgeConfigError: The name is not of the form ``provider/model``.
    """
    if isinstance(model, Model):
        return model
    if model is None:
        bound = model_roles().get(GRADER_ROLE)
        if isinstance(bound, list):
            bound = bound[0] if bound else None
        return bound
    if "/" not in model:
        raise JudgeConfigError(
            f"judge model {model!r} is not a model name (provider/model); to judge with a "
            f"bound model role, bind it as {GRADER_ROLE!r} and give no judge model"
        )
    return get_model(model)


@dataclass
class Ballot(Generic[T]):
    """One vote: the parsed answer, or the error that made it fail after all retries."""

    value: T | None
    error: str | None = None
    attempts: int = 0


@dataclass
class BallotBox(Generic[T]):
    """The votes of one judging, with what they cost."""

    ballots: list[Ballot[T]]
    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0

    @property
    def valid(self) -> list[T]:
        """Parsed answers of the votes that succeeded."""
        return [b.value for b in self.ballots if b.error is None and b.value is not None]

    @property
    def failures(self) -> int:
        """Votes that failed after all retries."""
        return sum(1 for b in self.ballots if b.error is not None)

    @property
    def enough_valid(self) -> bool:
        """At least half the votes (and at least one) succeeded."""
        n = len(self.valid)
        return n > 0 and 2 * n >= len(self.ballots)

    def usage(self) -> dict[str, int]:
        """Calls and tokens as a dict."""
        return {"calls": self.calls, "input_tokens": self.input_tokens,
                "output_tokens": self.output_tokens}


async def cast_votes(
    model: Model,
    prompt: JudgePrompt,
    parse: Callable[[str, str], T],
    *,
    votes: int,
    temperature: float,
    retries: int = 2,
    max_tokens: int | None = None,
) -> BallotBox[T]:
    """Ask the judge ``votes`` times concurrently; retry failures; count everything.

    Args:
        model: The judge.
        prompt: The prompt (the same for every vote; variety comes from the temperature).
        parse: ``parse(reply, nonce)``; raises JudgeParseError on a malformed reply.
        votes: Number of independent votes.
        temperature: Sampling temperature of each call.
        retries: Extra attempts for a vote whose call raised or whose reply did not parse.
        max_tokens: Optional cap on each reply.

    Returns:
        Every vote, failed ones included, with calls and tokens.
    """
    if votes < 1:
        raise JudgeConfigError(f"votes must be at least 1, got {votes}")
    if retries < 0:
        raise JudgeConfigError(f"retries must be at least 0, got {retries}")
    config = GenerateConfig(temperature=temperature, max_tokens=max_tokens)
    box: BallotBox[T] = BallotBox(ballots=[Ballot(value=None) for _ in range(votes)])

    async def one(index: int) -> None:
        ballot = box.ballots[index]
        for _ in range(retries + 1):
            ballot.attempts += 1
            box.calls += 1
            tokens_in = tokens_out = 0
            try:
                output = await model.generate(prompt.messages(), config=config)
            except LimitExceededError:
                raise  # a sample limit is Inspect's to handle, not a failed vote
            except Exception as ex:  # what a provider call raises (after Inspect's retries)
                ballot.error = f"{type(ex).__name__}: {ex}"[:500]
            else:
                if output.usage is not None:
                    tokens_in, tokens_out = output.usage.input_tokens, output.usage.output_tokens
                box.input_tokens += tokens_in
                box.output_tokens += tokens_out
                if output.error:
                    ballot.error = f"model error: {output.error}"[:500]
                else:
                    try:  # only a malformed reply is a failed vote; a parser bug propagates
                        ballot.value = parse(output.completion, prompt.nonce)
                    except JudgeParseError as ex:
                        ballot.error = f"unparseable: {ex}"
                    else:
                        ballot.error = None
                        return

    try:
        async with anyio.create_task_group() as group:
            for i in range(votes):
                group.start_soon(one, i)
    except BaseExceptionGroup as errors:  # a bug in a parser, or a sample limit: re-raise it
        if len(errors.exceptions) == 1:
            raise errors.exceptions[0] from None
        raise
    return box


def vote_records(box: BallotBox[Any], describe: Callable[[Any], dict[str, Any]]) -> list[
        dict[str, Any]]:
    """Votes as JSON-ready dicts; failed votes keep their error."""
    records = []
    for ballot in box.ballots:
        if ballot.error is None and ballot.value is not None:
            records.append({**describe(ballot.value), "error": None})
        else:
            records.append({"vote": None, "reason": "", "error": ballot.error})
    return records
