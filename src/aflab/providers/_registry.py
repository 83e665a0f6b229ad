"""Inspect registration of the `aflab-llamacpp` model provider.

The provider class is imported only when a model of this provider is requested, so
aflab loads without llama-cpp-python installed.
"""

from __future__ import annotations

from inspect_ai.model import ModelAPI, modelapi

from aflab.providers._errors import EmbeddedModelMissingError


@modelapi(name="aflab-llamacpp")
def aflab_llamacpp() -> type[ModelAPI]:
    """Return the in-process llama.cpp provider class (`aflab-llamacpp/<model>`)."""
    try:
        import llama_cpp  # noqa: F401
    except ImportError:
        raise EmbeddedModelMissingError(
            "In-process GGUF models (aflab-llamacpp) need llama-cpp-python: "
            "pip install llama-cpp-python"
        ) from None

    from aflab.providers.llama_cpp import LlamaCppAPI

    return LlamaCppAPI
