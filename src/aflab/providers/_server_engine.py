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
import time
import urllib.request
from typing import Any

import anyio
import xllamacpp
from inspect_ai.model import ChatMessage, GenerateConfig, ModelCall, ModelOutput
from inspect_ai.tool import ToolChoice, ToolInfo
from typing_extensions import override

from aflab.providers._engine_base import EmbeddedEngineAPI
from aflab.providers._errors import LlamaCppProviderError, PromptTooLongError
from aflab.providers._messages import to_llama_messages
from aflab.providers._prefix_stats import CallStats


class XLlamaCppAPI(EmbeddedEngineAPI):
    """Runs a GGUF model with the llama.cpp server of the `xllamacpp` wheel.

    The server starts on the first request. `counters` and each output's
    `metadata["prefix_cache"]` show how many prompt tokens came from the
    server's prompt cache.
    """

    @override
    def _init_engine(self) -> None:
        self._server: Any = None
        self._key = secrets.token_urlsafe(24)

    @override
    def max_connections(self) -> int:
        return self.options.parallel

    @override
    def close(self) -> None:
        with self._lock:
            self._server = None  # the server stops its loop when released

    @override
    async def generate(
        self,
        input: list[ChatMessage],
        tools: list[ToolInfo],
        tool_choice: ToolChoice,
        config: GenerateConfig,
    ) -> tuple[ModelOutput, ModelCall]:
        self._check_input(tools, config)
        params = self._sampling_params(config)
        if config.stop_seqs:
            params["stop"] = list(config.stop_seqs)
        params["cache_prompt"] = self.options.prefix_cache
        request = {"messages": to_llama_messages(input), **params}
        started = time.monotonic()
        response = await anyio.to_thread.run_sync(self._complete_sync, request)
        elapsed = time.monotonic() - started

        choice = response["choices"][0]
        usage = response.get("usage") or {}
        stats = self._call_stats(response)
        self.counters.record(stats)
        output = self._output(
            str(choice["message"].get("content") or ""),
            choice.get("finish_reason"),
            int(usage.get("completion_tokens", 0)),
            params["max_tokens"],
            stats,
            elapsed,
        )
        logged = {"model": str(self.model_path), **request}
        return output, ModelCall.create(logged, response, time=elapsed)

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

