"""Model args of the `aflab-llamacpp` provider (`-M key=value` / `model_args`)."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from typing import Any

from aflab.providers._errors import UnsupportedInputError

DEFAULT_N_CTX = 8192
DEFAULT_PREFIX_CACHE_SIZE = 4

ENGINES = ("xllamacpp", "llama-cpp-python")
"""Engines that run the GGUF: prebuilt llama.cpp server (default) or the compiled extra."""

_LLAMA_CPP_PYTHON_ONLY = ("prefix_cache_size",)


@dataclass(frozen=True)
class LlamaCppOptions:
    """Settings of one loaded model.

    Attributes:
        engine: `xllamacpp` (llama.cpp's server in-process, prebuilt wheel) or
            `llama-cpp-python` (the optional compiled extra, `aflab[llamacpp]`).
        n_ctx: Context window in tokens (per slot).
        n_threads: CPU threads (default: all cores).
        n_gpu_layers: Layers offloaded to a GPU (0: CPU only).
        seed: Default sampling seed when a request gives none.
        chat_format: Chat template name, e.g. `chatml` (default: the GGUF's template).
        prefix_cache: Reuse the KV cache of shared system-prompt prefixes.
        prefix_cache_size: Saved prefix states kept (one per condition in flight;
            llama-cpp-python only: xllamacpp's server keeps its own prompt cache).
        parallel: Requests decoded together (server slots; xllamacpp only).
        verbose: Let llama.cpp print its logs.
    """

    engine: str = ENGINES[0]
    n_ctx: int = DEFAULT_N_CTX
    n_threads: int | None = None
    n_gpu_layers: int = 0
    seed: int | None = None
    chat_format: str | None = None
    prefix_cache: bool = True
    prefix_cache_size: int = DEFAULT_PREFIX_CACHE_SIZE
    parallel: int = 1
    verbose: bool = False

    @property
    def threads(self) -> int:
        """Threads to use: `n_threads`, or every core."""
        return self.n_threads or os.cpu_count() or 1

    @classmethod
    def from_model_args(cls, model_args: dict[str, Any]) -> LlamaCppOptions:
        """Build options from model args, converting CLI strings.

        Args:
            model_args: Model args as given to the provider.

        Returns:
            The options.

        Raises:
            UnsupportedInputError: For an unknown key or a value of the wrong kind.
        """
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(model_args) - set(known))
        if unknown:
            raise UnsupportedInputError(
                f"unknown model arg(s) for aflab-llamacpp: {', '.join(unknown)} "
                f"(known: {', '.join(known)})"
            )
        values: dict[str, Any] = {}
        for name, raw in model_args.items():
            default = known[name].default
            values[name] = _convert(name, raw, default)
        options = cls(**values)
        if options.engine not in ENGINES:
            raise UnsupportedInputError(
                f"unknown engine {options.engine!r} (known: {', '.join(ENGINES)})"
            )
        if options.engine == "xllamacpp":
            misplaced = sorted(set(model_args) & set(_LLAMA_CPP_PYTHON_ONLY))
            if misplaced:
                raise UnsupportedInputError(
                    f"model arg(s) {', '.join(misplaced)} apply only to engine=llama-cpp-python"
                )
        elif options.parallel != 1:
            raise UnsupportedInputError("parallel applies only to engine=xllamacpp")
        if options.parallel < 1:
            raise UnsupportedInputError(f"parallel must be at least 1, got {options.parallel}")
        if options.n_ctx < 16:
            raise UnsupportedInputError(f"n_ctx must be at least 16, got {options.n_ctx}")
        if options.prefix_cache_size < 1:
            raise UnsupportedInputError(
                f"prefix_cache_size must be at least 1, got {options.prefix_cache_size}"
            )
        return options


def _convert(name: str, raw: Any, default: Any) -> Any:
    if raw is None:
        return None
    if isinstance(default, bool):
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off"):
            return False
        raise UnsupportedInputError(f"model arg {name} must be a boolean, got {raw!r}")
    if name in ("chat_format", "engine"):
        return str(raw)
    if isinstance(raw, bool):
        raise UnsupportedInputError(f"model arg {name} must be an integer, got {raw!r}")
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise UnsupportedInputError(
            f"model arg {name} must be an integer, got {raw!r}"
        ) from None
