"""What every scorer reads: the sample's typed metadata and its solvers' record."""

from __future__ import annotations

from inspect_ai.solver import TaskState

from aflab.contract import SolverRecord, TranscriptMetadata

__all__ = ["sample_metadata", "solver_record"]


def sample_metadata(state: TaskState) -> TranscriptMetadata:
    """The metadata the scorers read (setting, query, options), typed.

    Metadata of another shape (a replayed transcript's) reads as the defaults.
    """
    try:
        return state.metadata_as(TranscriptMetadata)
    except ValueError:  # Inspect reports a validation error as a ValueError
        return TranscriptMetadata()


def solver_record(state: TaskState) -> SolverRecord:
    """What the solvers recorded about the sample (defaults when they recorded nothing)."""
    return state.store_as(SolverRecord)
