"""In-process GGUF model provider (`aflab-llamacpp/...`) with KV prefix reuse."""

from __future__ import annotations

import time
from typing import Any

import anyio
from inspect_ai.model import ChatMessage, GenerateConfig, ModelCall, ModelOutput
from inspect_ai.tool import ToolChoice, ToolInfo
from llama_cpp import LLAMA_DEFAULT_SEED, Llama
from typing_extensions import override

from aflab.providers._chat import format_prompt, system_prefix_length, to_llama_messages
from aflab.providers._engine_base import EmbeddedEngineAPI
from aflab.providers._errors import PromptTooLongError
from aflab.providers._prefix_cache import (
    CallStats,
    PrefixStateCache,
    common_prefix_length,
    context_tokens,
    restore_state,
    save_state,
    truncate_context,
)

MIN_PREFIX_TOKENS = 32
"""Shared prefixes shorter than this are not worth a saved state."""


class LlamaCppAPI(EmbeddedEngineAPI):
    """Runs a GGUF model in this process with llama-cpp-python.

    The model loads on the first request. Calls run one at a time in a worker
    thread. The KV cache of each system-prompt prefix is computed once and kept
    (in the live context or as a saved state), so samples of a condition only
    evaluate their own turn. `counters` and each output's `metadata["prefix_cache"]`
    show what was reused.
    """

    @override
    def _init_engine(self) -> None:
        self._states = PrefixStateCache(self.options.prefix_cache_size)
        self._llm: Any = None
        self._eval_sizes: list[int] = []
        self._probes: dict[tuple[str, ...], list[int]] = {}

    @override
    def max_connections(self) -> int:
        return 1

    @override
    def close(self) -> None:
        with self._lock:
            self._states.clear()
            self._probes.clear()
            if self._llm is not None:
                self._llm.close()
                self._llm = None

    @override
    async def generate(
        self,
        input: list[ChatMessage],
        tools: list[ToolInfo],
        tool_choice: ToolChoice,
        config: GenerateConfig,
    ) -> tuple[ModelOutput, ModelCall]:
        self._check_input(tools, config)
        messages = to_llama_messages(input)
        params = self._sampling_params(config)
        params["stop"] = list(config.stop_seqs or [])
        request: dict[str, Any] = {
            "model": str(self.model_path),
            "messages": messages,
            **params,
        }
        started = time.monotonic()
        response, stats = await anyio.to_thread.run_sync(self._generate_sync, messages, params)
        elapsed = time.monotonic() - started

        choice = response["choices"][0]
        output = self._output(
            choice["text"],
            choice["finish_reason"],
            int(response["usage"]["completion_tokens"]),
            params["max_tokens"],
            stats,
            elapsed,
        )
        call_response = {**response, "prefix_cache": stats.as_dict()}
        return output, ModelCall.create(request, call_response, time=elapsed)

    def _ensure_loaded(self) -> Any:
        if self._llm is None:
            llm = Llama(
                model_path=str(self.model_path),
                n_ctx=self.options.n_ctx,
                n_threads=self.options.threads,
                n_threads_batch=self.options.threads,
                n_gpu_layers=self.options.n_gpu_layers,
                seed=LLAMA_DEFAULT_SEED if self.options.seed is None else self.options.seed,
                chat_format=self.options.chat_format,
                verbose=self.options.verbose,
            )
            evaluate = llm.eval

            def counting_eval(tokens: Any) -> None:
                self._eval_sizes.append(len(tokens))
                evaluate(tokens)

            # Measure, rather than predict, how many tokens llama.cpp evaluates.
            llm.eval = counting_eval  # type: ignore[method-assign]
            self._llm = llm
        return self._llm

    def _tokenize_sync(self, text: str) -> list[int]:
        with self._lock:
            llm = self._ensure_loaded()
            return [int(t) for t in llm.tokenize(text.encode("utf-8"), add_bos=False)]

    def _generate_sync(
        self, messages: list[dict[str, str]], params: dict[str, Any]
    ) -> tuple[dict[str, Any], CallStats]:
        with self._lock:
            llm = self._ensure_loaded()
            stop = params["stop"]
            prompt = format_prompt(llm, messages, stop)
            tokens = prompt.tokens
            if len(tokens) >= self.options.n_ctx:
                raise PromptTooLongError(
                    f"prompt has {len(tokens)} tokens; the context window is "
                    f"{self.options.n_ctx} (raise model arg n_ctx)"
                )
            stats = self._prepare_context(llm, messages, tokens)
            self._eval_sizes.clear()
            kwargs = {k: v for k, v in params.items() if k != "stop"}
            response: dict[str, Any] = llm.create_completion(
                prompt=tokens,
                stop=prompt.stop,
                stopping_criteria=prompt.stopping_criteria,
                **kwargs,
            )
            # The first evaluation inside create_completion is the prompt's suffix;
            # later ones are single generated tokens.
            suffix = self._eval_sizes[0] if self._eval_sizes else 0
            stats.evaluated_tokens += suffix
            stats.reused_tokens = stats.prompt_tokens - stats.evaluated_tokens
            self.counters.record(stats)
            return response, stats

    def _prepare_context(
        self, llm: Any, messages: list[dict[str, str]], tokens: list[int]
    ) -> CallStats:
        if not self.options.prefix_cache:
            llm.reset()
            return CallStats("disabled", prompt_tokens=len(tokens), prefix_tokens=0)
        boundary = system_prefix_length(llm, messages, tokens, self._probes)
        stats = CallStats("none", prompt_tokens=len(tokens), prefix_tokens=boundary)
        if boundary < MIN_PREFIX_TOKENS:
            return stats
        prefix = tuple(tokens[:boundary])
        in_context = common_prefix_length(context_tokens(llm), tokens)
        if in_context >= boundary:
            if prefix not in self._states:
                # Keep a saved copy for when another prefix displaces this one.
                if truncate_context(llm, boundary) < boundary:
                    in_context = 0  # memory could not be cut: evaluate afresh below
                else:
                    self._save(llm)
            if in_context >= boundary:
                stats.source = "context"
                return stats
        state = self._states.best_match(tokens)
        if state is not None and len(state.tokens) > in_context:
            restore_state(llm, state)
            in_context = len(state.tokens)
            if in_context >= boundary:
                stats.source = "saved_state"
                return stats
        kept = truncate_context(llm, in_context)
        self._eval_sizes.clear()
        llm.eval(tokens[kept:boundary])
        stats.evaluated_tokens = sum(self._eval_sizes)
        stats.source = "prefilled"
        self._save(llm)
        return stats

    def _save(self, llm: Any) -> None:
        self._states.put(save_state(llm))
        self.counters.states_saved += 1

