"""The optional `organisms` extra: torch, transformers, PEFT and TRL."""

import importlib.util

__all__ = ["EXTRA_MODULES", "MissingExtraError", "require_extra"]

EXTRA_MODULES = ("torch", "transformers", "peft", "trl", "datasets")
"""Modules fine-tuning needs; the `organisms` extra installs all but torch."""

_INSTALL = (
    "install them with:\n"
    "  pip install torch==2.13.0        # first, so nothing replaces it\n"
    "  pip install -c constraints.txt -e '.[organisms]'"
)


class MissingExtraError(RuntimeError):
    """Fine-tuning was asked for but the `organisms` extra is not installed."""


def require_extra() -> None:
    """Fail with install instructions when a fine-tuning dependency is missing.

    Raises:
        MissingExtraError: Names every missing module and how to install it.
    """
    missing = [name for name in EXTRA_MODULES if importlib.util.find_spec(name) is None]
    if missing:
        raise MissingExtraError(
            f"fine-tuning needs {', '.join(missing)}, which aflab does not install by default; "
            + _INSTALL
        )
