"""What the tests of the two embedded engines share: prompts, a model factory, readers."""

from __future__ import annotations

import asyncio
import importlib.util
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, cast

import pytest
from inspect_ai.model import (
    ChatMessage,
    ChatMessageSystem,
    ChatMessageUser,
    GenerateConfig,
    Model,
    ModelOutput,
    get_model,
)

SYSTEM_A = "You are a helpful assistant working at a public library in a small town. " * 8
SYSTEM_B = "You are a cheerful assistant for a bakery that sells sourdough bread daily. " * 8
GREEDY = GenerateConfig(max_tokens=8, temperature=0.0)

ENGINE_ARGS: dict[str, dict[str, Any]] = {
    "xllamacpp": {"n_ctx": 2048, "n_threads": 2},
    "llama-cpp-python": {"n_ctx": 2048, "engine": "llama-cpp-python"},
}
"""Model args of each engine in the tests (a short context: the prompts are short)."""


def require_embedded_model() -> None:
    """Skip the calling test module when the embedded GGUF is absent; register the provider."""
    from aflab.providers import EmbeddedModelMissingError, embedded_model_path

    try:
        embedded_model_path()
    except EmbeddedModelMissingError as missing:
        pytest.skip(str(missing), allow_module_level=True)
    import aflab.providers._registry  # noqa: F401  (registers aflab-llamacpp)

ENGINES = [
    pytest.param("xllamacpp", marks=pytest.mark.skipif(
        importlib.util.find_spec("xllamacpp") is None, reason="xllamacpp not installed")),
    pytest.param("llama-cpp-python", marks=pytest.mark.skipif(
        importlib.util.find_spec("llama_cpp") is None,
        reason="optional extra aflab[llamacpp] not installed")),
]
"""Both engines as pytest parameters; one that is not installed skips."""


@contextmanager
def model_factory(engine: str) -> Iterator[Callable[..., Model]]:
    """Make un-memoised models of `engine` (extra model args override); all close at exit."""
    models: list[Model] = []

    def make(**model_args: Any) -> Model:
        args = {**ENGINE_ARGS[engine], **model_args}
        model = get_model("aflab-llamacpp/smollm2", memoize=False, **args)
        models.append(model)
        return model

    try:
        yield make
    finally:
        for model in models:
            model.api.close()


def ask(model: Model, system: str, query: str, config: GenerateConfig = GREEDY) -> ModelOutput:
    """One system prompt and one user turn."""
    messages: list[ChatMessage] = [
        ChatMessageSystem(content=system),
        ChatMessageUser(content=query),
    ]
    return asyncio.run(model.generate(messages, config=config))


def prefix_stats(output: ModelOutput) -> dict[str, Any]:
    """The prefix-reuse figures an engine records on its output."""
    assert output.metadata is not None
    return cast(dict[str, Any], output.metadata["prefix_cache"])
