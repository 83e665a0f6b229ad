"""What the two engines of `aflab-llamacpp` share: options, sampling defaults, outputs."""

from __future__ import annotations

import threading
from typing import Any

import anyio
from inspect_ai.model import GenerateConfig, ModelAPI, ModelOutput, ModelUsage, StopReason
from inspect_ai.tool import ToolInfo
from typing_extensions import override

from aflab.providers._embedded import resolve_model_path
from aflab.providers._errors import UnsupportedInputError
from aflab.providers._options import LlamaCppOptions
from aflab.providers._prefix_stats import CallStats, PrefixCounters

DEFAULT_MAX_TOKENS = 2048

# Sampling defaults of llama-cpp-python's `create_chat_completion`, used where the config is
# unset, so that both engines sample alike.
DEFAULT_SAMPLING: dict[str, Any] = {
    "temperature": 0.2,
    "top_p": 0.95,
    "top_k": 40,
    "min_p": 0.05,
    "repeat_penalty": 1.0,
}


class EmbeddedEngineAPI(ModelAPI):
    """Base of the in-process GGUF engines: one chat call per generate, no tools.

    Subclasses set up their own state in `_init_engine`, load their engine lazily and
    implement `_tokenize_sync` (run in a worker thread); `counters` and each output's
    `metadata["prefix_cache"]` show how much of each prompt was reused.
    """

    def __init__(
        self,
        model_name: str,
        base_url: str | None = None,
        api_key: str | None = None,
        config: GenerateConfig = GenerateConfig(),  # noqa: B008 - inspect's signature
        **model_args: Any,
    ) -> None:
        """Create the provider; the GGUF file is checked now and loaded later.

        Args:
            model_name: `smollm2`/`default` (embedded model) or a path to a GGUF file.
            base_url: Unused (in-process model).
            api_key: Unused (in-process model).
            config: Default generation config.
            **model_args: See `LlamaCppOptions`.
        """
        super().__init__(model_name=model_name, base_url=base_url, api_key=api_key, config=config)
        self.options = LlamaCppOptions.from_model_args(model_args)
        self.model_path = resolve_model_path(model_name)
        self.counters = PrefixCounters()
        self._lock = threading.Lock()
        self._init_engine()

    def _init_engine(self) -> None:
        """Set up the engine's own state (the engine itself loads on first use)."""

    @override
    def max_tokens(self) -> int | None:
        return DEFAULT_MAX_TOKENS

    @override
    async def count_text_tokens(self, text: str) -> int:
        return len(await self.tokenize(text))

    @override
    async def tokenize(self, text: str) -> list[int]:
        return await anyio.to_thread.run_sync(self._tokenize_sync, text)

    def _tokenize_sync(self, text: str) -> list[int]:
        raise NotImplementedError

    @staticmethod
    def _check_input(tools: list[ToolInfo], config: GenerateConfig) -> None:
        if tools:
            raise UnsupportedInputError(
                f"aflab-llamacpp does not support tools ({len(tools)} given)"
            )
        if config.num_choices not in (None, 1):
            raise UnsupportedInputError("aflab-llamacpp generates one choice per call")
        if config.logprobs:
            raise UnsupportedInputError("aflab-llamacpp does not return logprobs")

    def _sampling_params(self, config: GenerateConfig) -> dict[str, Any]:
        """Sampling defaults, overridden by what the config sets; max_tokens and seed."""
        params = dict(DEFAULT_SAMPLING)
        for key, value in (
            ("temperature", config.temperature),
            ("top_p", config.top_p),
            ("top_k", config.top_k),
            ("frequency_penalty", config.frequency_penalty),
            ("presence_penalty", config.presence_penalty),
        ):
            if value is not None:
                params[key] = value
        params["max_tokens"] = config.max_tokens or DEFAULT_MAX_TOKENS
        seed = config.seed if config.seed is not None else self.options.seed
        if seed is not None:
            params["seed"] = seed
        return params

    def _output(
        self,
        text: str,
        finish_reason: str | None,
        completion_tokens: int,
        max_tokens: int,
        stats: CallStats,
        elapsed: float,
    ) -> ModelOutput:
        """The Inspect output of one call, with its prefix-reuse figures as usage."""
        output = ModelOutput.from_content(
            model=self.model_name,
            content=text,
            stop_reason=stop_reason(finish_reason, completion_tokens, max_tokens),
        )
        output.usage = ModelUsage(
            input_tokens=stats.evaluated_tokens,
            input_tokens_cache_read=stats.reused_tokens,
            output_tokens=completion_tokens,
            total_tokens=stats.prompt_tokens + completion_tokens,
        )
        output.input_context_tokens = stats.prompt_tokens
        output.time = elapsed
        output.metadata = {"prefix_cache": stats.as_dict()}
        return output


def stop_reason(finish_reason: str | None, completion_tokens: int, max_tokens: int) -> StopReason:
    """Inspect's stop reason: a `length` finish is the token limit only when it was reached."""
    if finish_reason == "length":
        return "max_tokens" if completion_tokens >= max_tokens else "model_length"
    return "stop"
