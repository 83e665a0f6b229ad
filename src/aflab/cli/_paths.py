"""Checks of output paths, made before any work so that a bad path costs nothing."""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["check_writable_folder"]


def check_writable_folder(folder: Path, what: str) -> None:
    """Create ``folder`` if needed and make sure a file can be written in it.

    Args:
        folder: The folder.
        what: What goes there, for the message (``the report``).

    Raises:
        click.ClickException: The folder cannot be made or written.
    """
    probe = folder / ".aflab-write-check"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as err:
        raise click.ClickException(
            f"cannot write {what} into {folder}: {err.strerror or err}"
        ) from None
