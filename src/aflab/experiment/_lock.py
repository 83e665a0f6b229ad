"""One run at a time per log directory: a second run on it stops with a clear message.

Two runs writing one log directory would both generate every sample, and the next report
would read both sets of logs. The lock is an advisory ``flock`` on a small file in the log
directory; the operating system releases it when the process ends, however it ends, so a
killed run never leaves a stale lock behind.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["LOCK_NAME", "LogDirLockedError", "lock_log_dir"]

LOCK_NAME = ".aflab-run.lock"


class LogDirLockedError(RuntimeError):
    """The log directory is in use by another run; the message says by which process."""


@contextmanager
def lock_log_dir(log_dir: str | Path) -> Iterator[Path]:
    """Hold the log directory's lock for the duration of a ``with`` block.

    Args:
        log_dir: The log directory (created if missing).

    Yields:
        The lock file.

    Raises:
        LogDirLockedError: Another process holds the lock.
    """
    try:
        import fcntl
    except ImportError:  # Windows: no flock; runs are not locked there.
        yield Path(log_dir) / LOCK_NAME
        return
    folder = Path(log_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_NAME
    handle = path.open("a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise LogDirLockedError(
                f"log directory {folder} is in use by another aflab run ({holder}). "
                "Wait for it to finish (then run again to resume), or pass a different --log-dir."
            ) from None
        handle.seek(0)
        handle.truncate()
        stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime())
        handle.write(f"pid {os.getpid()}, started {stamp}\n")
        handle.flush()
        yield path
    finally:
        # Closing the file releases the lock; the file stays (removing it would race a
        # process that has just opened it).
        handle.close()
