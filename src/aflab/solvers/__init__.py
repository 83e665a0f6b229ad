"""Solvers: scratchpad generation with continuations, and the follow-up interviews."""

from aflab.solvers._interview import (
    DEFAULT_FRESH_QUESTIONS,
    DEFAULT_INTERVIEW_QUESTIONS,
    FRESH_INTERVIEW_KEY,
    INTERVIEW_KEY,
    fresh_interview,
    interview,
    transcript_turns,
)
from aflab.solvers._scratchpad import DEFAULT_MAX_CONTINUATIONS, scratchpad_generate

__all__ = [
    "DEFAULT_FRESH_QUESTIONS",
    "DEFAULT_INTERVIEW_QUESTIONS",
    "DEFAULT_MAX_CONTINUATIONS",
    "FRESH_INTERVIEW_KEY",
    "INTERVIEW_KEY",
    "fresh_interview",
    "interview",
    "scratchpad_generate",
    "transcript_turns",
]
