"""Solvers: scratchpad generation with continuations, and the follow-up interview.

What they record is declared in `aflab.contract.SolverRecord`.
"""

from aflab.solvers._interview import DEFAULT_INTERVIEW_QUESTIONS, interview
from aflab.solvers._scratchpad import DEFAULT_MAX_CONTINUATIONS, scratchpad_generate

__all__ = [
    "DEFAULT_INTERVIEW_QUESTIONS",
    "DEFAULT_MAX_CONTINUATIONS",
    "interview",
    "scratchpad_generate",
]
