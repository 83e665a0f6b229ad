"""Inspect scorers: format, compliance, alignment_faking and frames.

Each emits the result model of `aflab.contract` named after it.
"""

from aflab.scorers._alignment_faking import alignment_faking
from aflab.scorers._compliance import NEEDS_JUDGE, compliance, spec_for
from aflab.scorers._format import format_adherence
from aflab.scorers._frames import frames

__all__ = [
    "NEEDS_JUDGE",
    "alignment_faking",
    "compliance",
    "format_adherence",
    "frames",
    "spec_for",
]
