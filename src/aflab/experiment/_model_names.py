"""Check model names before anything runs, so that a typo is a clear error and not a traceback."""

from __future__ import annotations

import re
from functools import cache

__all__ = ["check_model_name", "model_providers"]

# `provider/model`, where the model part may itself hold slashes (`openai-api/svc/name`).
_SHAPE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*/\S+")


@cache
def model_providers() -> frozenset[str]:
    """Names of the model providers Inspect knows, its own and those of installed packages."""
    # Inspect keeps no public list of its providers; the registry is what `get_model` reads.
    import inspect_ai.model._providers.providers  # noqa: F401  (registers Inspect's providers)
    from inspect_ai._util.entrypoints import ensure_entry_points
    from inspect_ai._util.registry import registry_find, registry_unqualified_name

    ensure_entry_points()
    found = registry_find(lambda info: info.type == "modelapi")
    return frozenset(registry_unqualified_name(model) for model in found)


def check_model_name(name: str, what: str = "model") -> str | None:
    """Say what is wrong with a model name, or None when it can be used.

    Args:
        name: An Inspect model name, ``provider/model`` (e.g. ``openai/gpt-4o``).
        what: What the name is for, in the message (``model``, ``judge model``).

    Returns:
        A one-line problem description, or None.
    """
    if not _SHAPE.fullmatch(name) or name.endswith("/"):
        return (
            f"{what} {name!r} is not a model name: expected provider/model, "
            "e.g. openai/gpt-4o or anthropic/claude-3-5-sonnet-latest"
        )
    provider = name.split("/", 1)[0]
    known = model_providers()
    if provider not in known:
        return (
            f"{what} {name!r}: unknown provider {provider!r}; known providers: "
            f"{', '.join(sorted(known))}"
        )
    return None
