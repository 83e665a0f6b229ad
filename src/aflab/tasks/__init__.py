"""Inspect tasks."""

from aflab.tasks.alignment_faking import alignment_faking

__all__ = ["alignment_faking"]
