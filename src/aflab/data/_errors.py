"""The error raised for unreadable or malformed query data."""

__all__ = ["DataError"]


class DataError(ValueError):
    """A query file or dataset cannot be read.

    The message names the file (or dataset) and, where it applies, the offending row,
    line or column, and says how to fix the problem.
    """
