"""Inspect tasks."""

from aflab.tasks._dataset import TierChoice
from aflab.tasks.alignment_faking import ReasoningEffort, alignment_faking
from aflab.tasks.classify_transcripts import (
    TranscriptFileError,
    classify_transcripts,
    read_transcripts,
)

__all__ = [
    "ReasoningEffort",
    "TierChoice",
    "TranscriptFileError",
    "alignment_faking",
    "classify_transcripts",
    "read_transcripts",
]
