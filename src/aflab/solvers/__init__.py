"""Solvers: scratchpad generation with continuations, and the follow-up interviews.

What they record is declared in `aflab.contract.SolverRecord`.
"""

from aflab.solvers._interview import (
    DEFAULT_FRESH_QUESTIONS,
    DEFAULT_INTERVIEW_QUESTIONS,
    fresh_interview,
    interview,
    transcript_turns,
)
from aflab.solvers._scratchpad import DEFAULT_MAX_CONTINUATIONS, scratchpad_generate

__all__ = [
    "DEFAULT_FRESH_QUESTIONS",
    "DEFAULT_INTERVIEW_QUESTIONS",
    "DEFAULT_MAX_CONTINUATIONS",
    "fresh_interview",
    "interview",
    "scratchpad_generate",
    "transcript_turns",
]
