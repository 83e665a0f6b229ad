"""Inspect registration of the `aflab-llamacpp` model provider.

The engine is picked by the model arg `engine`: `xllamacpp` (default, prebuilt
wheel) or `llama-cpp-python` (optional extra `aflab[llamacpp]`). Each engine's
module is imported only when a model of that engine is requested.
"""

from __future__ import annotations

from typing import Any, cast

from inspect_ai.model import GenerateConfig, ModelAPI, modelapi

from aflab.providers._errors import EmbeddedModelMissingError
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
        EmbeddedModelMissingError: The llama-cpp-python engine is asked for but its
            optional extra is not installed.
        UnsupportedInputError: For an unknown engine.
    """
    engine = str(model_args.get("engine", ENGINES[0]))
    api: type[ModelAPI]
    if engine == "llama-cpp-python":
        try:
            import llama_cpp  # noqa: F401
        except ImportError:
            raise EmbeddedModelMissingError(
                "The llama-cpp-python engine of aflab-llamacpp is an optional extra: "
                "pip install 'aflab[llamacpp]'"
            ) from None
        from aflab.providers.llama_cpp import LlamaCppAPI

        api = LlamaCppAPI
    else:
        # xllamacpp is a dependency of aflab; it is imported here only to keep start-up fast.
        from aflab.providers._server_engine import XLlamaCppAPI

        api = XLlamaCppAPI
    return api(
        model_name=model_name, base_url=base_url, api_key=api_key, config=config, **model_args
    )


@modelapi(name="aflab-llamacpp")
def aflab_llamacpp() -> type[ModelAPI]:
    """Return the in-process GGUF provider (`aflab-llamacpp/<model>`)."""
    return cast(type[ModelAPI], create_embedded_api)
