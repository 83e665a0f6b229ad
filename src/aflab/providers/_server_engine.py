"""GGUF models in this process through llama.cpp's own server (`xllamacpp` wheel).

The server runs inside the process with no compile step: requests go straight to
its chat-completions handler (no HTTP), which applies the GGUF's chat template,
keeps a prompt cache of shared prefixes (in the slot and in host memory, so
interleaved conditions each keep theirs) and decodes up to `parallel` requests
together. Its loopback HTTP listener, opened by the library, answers only
requests that carry a random per-process key; aflab uses it for tokenising.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
import urllib.request
from typing import Any

import anyio
import xllamacpp
from inspect_ai.model import (
    ChatMessage,
    GenerateConfig,
    ModelAPI,
    ModelCall,
    ModelOutput,
    ModelUsage,
    StopReason,
)
from inspect_ai.tool import ToolChoice, ToolInfo
from typing_extensions import override

from aflab.providers._embedded import resolve_model_path
from aflab.providers._errors import (
    LlamaCppProviderError,
    PromptTooLongError,
    UnsupportedInputError,
)
from aflab.providers._messages import to_llama_messages
from aflab.providers._options import LlamaCppOptions
from aflab.providers._prefix_stats import CallStats, PrefixCounters

DEFAULT_MAX_TOKENS = 2048

# The same sampling defaults as the llama-cpp-python engine, used where the config is unset.
_DEFAULT_SAMPLING: dict[str, Any] = {
    "temperature": 0.2,
    "top_p": 0.95,
    "top_k": 40,
    "min_p": 0.05,
    "repeat_penalty": 1.0,
}


class XLlamaCppAPI(ModelAPI):
    """Runs a GGUF model with the llama.cpp server of the `xllamacpp` wheel.

    The server starts on the first request. `counters` and each output's
    `metadata["prefix_cache"]` show how many prompt tokens came from the
    server's prompt cache.
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
        self._server: Any = None
        self._key = secrets.token_urlsafe(24)

    @override
    def max_connections(self) -> int:
        return self.options.parallel

    @override
    def max_tokens(self) -> int | None:
        return DEFAULT_MAX_TOKENS

    @override
    def close(self) -> None:
        with self._lock:
            self._server = None  # the server stops its loop when released

    @override
    async def count_text_tokens(self, text: str) -> int:
        return len(await self.tokenize(text))

    @override
    async def tokenize(self, text: str) -> list[int]:
        return await anyio.to_thread.run_sync(self._tokenize_sync, text)

    @override
    async def generate(
        self,
        input: list[ChatMessage],
        tools: list[ToolInfo],
        tool_choice: ToolChoice,
        config: GenerateConfig,
    ) -> tuple[ModelOutput, ModelCall]:
        if tools:
            raise UnsupportedInputError(
                f"aflab-llamacpp does not support tools ({len(tools)} given)"
            )
        if config.num_choices not in (None, 1):
            raise UnsupportedInputError("aflab-llamacpp generates one choice per call")
        request = {"messages": to_llama_messages(input), **self._sampling_params(config)}
        started = time.monotonic()
        response = await anyio.to_thread.run_sync(self._complete_sync, request)
        elapsed = time.monotonic() - started

        choice = response["choices"][0]
        usage = response.get("usage") or {}
        completion_tokens = int(usage.get("completion_tokens", 0))
        stats = self._call_stats(response)
        self.counters.record(stats)
        output = ModelOutput.from_content(
            model=self.model_name,
            content=str(choice["message"].get("content") or ""),
            stop_reason=_stop_reason(
                choice.get("finish_reason"), completion_tokens, request["max_tokens"]
            ),
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
        logged = {"model": str(self.model_path), **request}
        return output, ModelCall.create(logged, response, time=elapsed)

    def _sampling_params(self, config: GenerateConfig) -> dict[str, Any]:
        if config.logprobs:
            raise UnsupportedInputError("aflab-llamacpp does not return logprobs")
        params = dict(_DEFAULT_SAMPLING)
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
        if config.stop_seqs:
            params["stop"] = list(config.stop_seqs)
        seed = config.seed if config.seed is not None else self.options.seed
        if seed is not None:
            params["seed"] = seed
        params["cache_prompt"] = self.options.prefix_cache
        return params

    def _call_stats(self, response: dict[str, Any]) -> CallStats:
        usage = response.get("usage") or {}
        timings = response.get("timings") or {}
        prompt_tokens = int(usage.get("prompt_tokens", 0))
        reused = int(timings.get("cache_n", 0))
        evaluated = int(timings.get("prompt_n", prompt_tokens - reused))
        if not self.options.prefix_cache:
            source = "disabled"
        elif reused > 0:
            source = "server_cache"
        else:
            source = "prefilled"
        return CallStats(
            source,  # type: ignore[arg-type]
            prompt_tokens=prompt_tokens,
            prefix_tokens=reused,
            reused_tokens=reused,
            evaluated_tokens=evaluated,
        )

    def _ensure_started(self) -> Any:
        with self._lock:
            if self._server is None:
                self._server = xllamacpp.Server(self._server_params())
            return self._server

    def _server_params(self) -> Any:
        options = self.options
        params = xllamacpp.CommonParams()
        params.model.path = str(self.model_path)
        params.n_parallel = options.parallel
        params.n_ctx = options.n_ctx * options.parallel  # each slot gets n_ctx
        params.cpuparams.n_threads = options.threads
        params.cpuparams_batch.n_threads = options.threads
        params.n_gpu_layers = options.n_gpu_layers
        if options.seed is not None:
            params.sampling.seed = options.seed
        if options.chat_format:
            params.chat_template = options.chat_format
        params.reasoning_format = xllamacpp.common_reasoning_format.COMMON_REASONING_FORMAT_NONE
        params.warmup = False
        params.verbosity = 3 if options.verbose else -1
        params.hostnames = ["127.0.0.1"]
        params.api_keys = [self._key]
        return params

    def _complete_sync(self, request: dict[str, Any]) -> dict[str, Any]:
        response: dict[str, Any] = self._ensure_started().handle_chat_completions(request)
        error = response.get("error")
        if error is not None:
            message = str(error.get("message", error)) if isinstance(error, dict) else str(error)
            if isinstance(error, dict) and error.get("type") == "exceed_context_size_error":
                raise PromptTooLongError(f"{message} (raise model arg n_ctx)")
            raise LlamaCppProviderError(f"llama.cpp server error: {message}")
        return response

    def _tokenize_sync(self, text: str) -> list[int]:
        server = self._ensure_started()
        body = json.dumps({"content": text, "add_special": False}).encode("utf-8")
        request = urllib.request.Request(
            f"{server.listening_address}/tokenize",
            data=body,
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self._key}"},
        )
        with urllib.request.urlopen(request, timeout=60) as reply:
            tokens = json.loads(reply.read())["tokens"]
        return [int(t) for t in tokens]


def _stop_reason(finish_reason: str | None, completion_tokens: int, max_tokens: int) -> StopReason:
    if finish_reason == "length":
        return "max_tokens" if completion_tokens >= max_tokens else "model_length"
    return "stop"
