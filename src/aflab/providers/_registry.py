"""Inspect registration of the `aflab-llamacpp` model provider.

The engine is picked by the model arg `engine`: `xllamacpp` (default, prebuilt
wheel) or `llama-cpp-python` (optional extra `aflab[llamacpp]`). Each engine's
module is imported only when a model of that engine is requested.
"""

from __future__ import annotations

from typing import Any, cast

from inspect_ai._util.error import pip_dependency_error
from inspect_ai.model import GenerateConfig, ModelAPI, modelapi

from aflab.providers._options import ENGINES


def create_embedded_api(
    model_name: str,
    base_url: str | None = None,
    api_key: str | None = None,
    config: GenerateConfig = GenerateConfig(),  # noqa: B008 - inspect's signature
    **model_args: Any,
) -> ModelAPI:
    """Create the `aflab-llamacpp` provider for the engine named in `model_args`.

    Raises:
        PrerequisiteError: If the engine's package is not installed.
        UnsupportedInputError: For an unknown engine.
    """
    engine = str(model_args.get("engine", ENGINES[0]))
    api: type[ModelAPI]
    if engine == "llama-cpp-python":
        try:
            import llama_cpp  # noqa: F401
        except ImportError:
            raise pip_dependency_error(
                "The llama-cpp-python engine of aflab-llamacpp", ["aflab[llamacpp]"]
            ) from None
        from aflab.providers.llama_cpp import LlamaCppAPI

        api = LlamaCppAPI
    else:
        try:
            import xllamacpp  # noqa: F401
        except ImportError:
            raise pip_dependency_error(
                "In-process GGUF models (aflab-llamacpp)", ["xllamacpp"]
            ) from None
        from aflab.providers._server_engine import XLlamaCppAPI

        api = XLlamaCppAPI
    return api(
        model_name=model_name, base_url=base_url, api_key=api_key, config=config, **model_args
    )


@modelapi(name="aflab-llamacpp")
def aflab_llamacpp() -> type[ModelAPI]:
    """Return the in-process GGUF provider (`aflab-llamacpp/<model>`)."""
    return cast(type[ModelAPI], create_embedded_api)
