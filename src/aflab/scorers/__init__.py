"""Inspect scorers: format, compliance, alignment_faking and frames."""

from aflab.scorers._alignment_faking import AF_KEYS, alignment_faking
from aflab.scorers._compliance import COMPLIANCE_KEYS, NEEDS_JUDGE, compliance, spec_for
from aflab.scorers._format import FORMAT_KEYS, format_adherence
from aflab.scorers._frames import frames

__all__ = [
    "AF_KEYS",
    "COMPLIANCE_KEYS",
    "FORMAT_KEYS",
    "NEEDS_JUDGE",
    "alignment_faking",
    "compliance",
    "format_adherence",
    "frames",
    "spec_for",
]
