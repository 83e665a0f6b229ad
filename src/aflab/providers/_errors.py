"""Exceptions raised by the in-process llama.cpp model provider."""

from __future__ import annotations


class LlamaCppProviderError(Exception):
    """Base class of every error raised by the `aflab-llamacpp` provider."""


class GGUFNotFoundError(LlamaCppProviderError, FileNotFoundError):
    """The model name points at a GGUF file that does not exist."""


class EmbeddedModelMissingError(LlamaCppProviderError):
    """The embedded model was requested but its package is not installed."""


class UnsupportedInputError(LlamaCppProviderError, ValueError):
    """The request uses something the provider cannot run (tools, images, ...)."""


class PromptTooLongError(LlamaCppProviderError, ValueError):
    """The formatted prompt does not fit in the context window."""
