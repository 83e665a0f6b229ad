"""Solvers: scratchpad generation with continuations, and the follow-up interview."""

from aflab.solvers._interview import DEFAULT_INTERVIEW_QUESTIONS, INTERVIEW_KEY, interview
from aflab.solvers._scratchpad import DEFAULT_MAX_CONTINUATIONS, scratchpad_generate

__all__ = [
    "DEFAULT_INTERVIEW_QUESTIONS",
    "DEFAULT_MAX_CONTINUATIONS",
    "INTERVIEW_KEY",
    "interview",
    "scratchpad_generate",
]
