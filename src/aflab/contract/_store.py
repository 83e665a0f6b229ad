"""What the solvers record about a sample, in Inspect's per-sample store."""

from __future__ import annotations

from inspect_ai.util import StoreModel
from pydantic import BaseModel, ConfigDict, Field

__all__ = ["GRADER_ROLE", "InterviewTurn", "SolverRecord"]

GRADER_ROLE = "grader"
"""The Inspect model role of the judge: the task binds it, the scorers' judges use it."""


class InterviewTurn(BaseModel):
    """One follow-up question and the model's answer (empty, with ``error``, when it failed)."""

    model_config = ConfigDict(frozen=True)

    question: str
    answer: str = ""
    error: str | None = None


class SolverRecord(StoreModel):
    """What the solvers of a sample wrote; read with ``state.store_as`` or ``sample.store_as``.

    Attributes:
        continuations: ``<NEXT/>`` turns added after reasoning-only or cut-off replies.
        max_tokens_hits: Generations of the main exchange that stopped at the token limit.
        truncated: The last generation of the main exchange stopped at the token limit; None
            when no generation solver recorded it.
        stop_reasons: Stop reason of every generation of the main exchange.
        interview_start: Index of the first message of the follow-up interview, if any;
            scorers of the main exchange read only the messages before it.
        interview: The same-context interview's questions and answers.
        fresh_interview: The fresh-context interview's questions and answers (asked in a new
            conversation shown the transcript).
    """

    continuations: int = 0
    max_tokens_hits: int = 0
    truncated: bool | None = None
    stop_reasons: list[str] = Field(default_factory=list)
    interview_start: int | None = None
    interview: list[InterviewTurn] = Field(default_factory=list)
    fresh_interview: list[InterviewTurn] = Field(default_factory=list)
