"""The llama-cpp-python engine of aflab-llamacpp on the embedded SmolLM2 model (short prompts).

The engine is an optional extra (`aflab[llamacpp]`): without it these tests skip.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

import pytest

pytest.importorskip("llama_cpp")

from inspect_ai import Task, eval
from inspect_ai.dataset import Sample
from inspect_ai.model import (
    ChatMessageSystem,
    ChatMessageUser,
    GenerateConfig,
    Model,
    ModelOutput,
    get_model,
)
from inspect_ai.solver import generate, system_message
from inspect_ai.tool import ToolInfo

from aflab.providers import (
    EmbeddedModelMissingError,
    GGUFNotFoundError,
    PromptTooLongError,
    UnsupportedInputError,
    embedded_model_path,
)

try:
    embedded_model_path()
except EmbeddedModelMissingError as missing:
    pytest.skip(str(missing), allow_module_level=True)

import aflab.providers._registry  # noqa: F401  (registers aflab-llamacpp)
from aflab.providers.llama_cpp import LlamaCppAPI

pytestmark = pytest.mark.llama

SYSTEM_A = "You are a helpful assistant working at a public library in a small town. " * 8
SYSTEM_B = "You are a cheerful assistant for a bakery that sells sourdough bread daily. " * 8
GREEDY = GenerateConfig(max_tokens=8, temperature=0.0)


@pytest.fixture
def make_model() -> Iterator[Callable[..., Model]]:
    models: list[Model] = []

    def make(**model_args: Any) -> Model:
        args = {"n_ctx": 2048, "engine": "llama-cpp-python", **model_args}
        model = get_model("aflab-llamacpp/smollm2", memoize=False, **args)
        models.append(model)
        return model

    yield make
    for model in models:
        model.api.close()


def ask(model: Model, system: str, query: str, config: GenerateConfig = GREEDY) -> ModelOutput:
    messages = [ChatMessageSystem(content=system), ChatMessageUser(content=query)]
    return asyncio.run(model.generate(messages, config=config))


def prefix_stats(output: ModelOutput) -> dict[str, Any]:
    assert output.metadata is not None
    return cast(dict[str, Any], output.metadata["prefix_cache"])


def api(model: Model) -> LlamaCppAPI:
    return cast(LlamaCppAPI, model.api)


def test_generate_returns_text_and_usage(make_model: Callable[..., Model]) -> None:
    output = ask(make_model(), SYSTEM_A, "Say hello.")
    assert output.completion.strip()
    assert output.usage is not None
    assert 0 < output.usage.output_tokens <= 8
    prompt_tokens = output.usage.input_tokens + (output.usage.input_tokens_cache_read or 0)
    assert prompt_tokens == output.input_context_tokens == prefix_stats(output)["prompt_tokens"]
    assert output.usage.total_tokens == prompt_tokens + output.usage.output_tokens


def test_max_tokens_gives_max_tokens_stop_reason(make_model: Callable[..., Model]) -> None:
    config = GenerateConfig(max_tokens=3, temperature=0.0)
    output = ask(make_model(), SYSTEM_A, "Write a long story about a dragon.", config)
    assert output.stop_reason == "max_tokens"
    assert output.usage is not None and output.usage.output_tokens == 3


def test_seed_makes_sampling_reproducible(make_model: Callable[..., Model]) -> None:
    model = make_model()
    config = GenerateConfig(max_tokens=12, temperature=1.0, seed=11)
    first = ask(model, SYSTEM_A, "Invent a name for a river.", config)
    ask(model, SYSTEM_B, "Anything else?", GREEDY)
    second = ask(model, SYSTEM_A, "Invent a name for a river.", config)
    assert first.completion == second.completion
    assert ask(make_model(), SYSTEM_A, "Hi", GREEDY).completion == ask(
        make_model(), SYSTEM_A, "Hi", GREEDY
    ).completion


def test_second_call_reuses_system_prefix(make_model: Callable[..., Model]) -> None:
    model = make_model()
    first = prefix_stats(ask(model, SYSTEM_A, "Name a fruit."))
    second = prefix_stats(ask(model, SYSTEM_A, "Name a colour."))
    assert first["source"] == "prefilled"
    assert first["evaluated_tokens"] == first["prompt_tokens"]
    assert second["source"] == "context"
    assert second["reused_tokens"] >= second["prefix_tokens"] > 100
    assert second["evaluated_tokens"] < 20
    assert second["evaluated_tokens"] == second["prompt_tokens"] - second["reused_tokens"]


def test_interleaved_system_prompts_restore_saved_state(
    make_model: Callable[..., Model],
) -> None:
    model = make_model()
    ask(model, SYSTEM_A, "Name a fruit.")
    ask(model, SYSTEM_B, "Name a bread.")
    back_to_a = prefix_stats(ask(model, SYSTEM_A, "Name a colour."))
    back_to_b = prefix_stats(ask(model, SYSTEM_B, "Name a cake."))
    for stats in (back_to_a, back_to_b):
        assert stats["source"] == "saved_state"
        assert stats["evaluated_tokens"] < 20
    counters = api(model).counters
    assert (counters.misses, counters.hits, counters.states_saved) == (2, 2, 2)


def test_prefix_cache_size_evicts_least_recent_state(make_model: Callable[..., Model]) -> None:
    model = make_model(prefix_cache_size=1)
    ask(model, SYSTEM_A, "Name a fruit.")
    ask(model, SYSTEM_B, "Name a bread.")
    again = prefix_stats(ask(model, SYSTEM_A, "Name a colour."))
    assert again["source"] == "prefilled"
    assert api(model).counters.misses == 3


def test_restored_prefix_gives_same_output_as_full_prompt(
    make_model: Callable[..., Model],
) -> None:
    reused = make_model()
    ask(reused, SYSTEM_A, "Name a fruit.")
    ask(reused, SYSTEM_B, "Name a bread.")
    restored = ask(reused, SYSTEM_A, "What is a library for?")
    assert prefix_stats(restored)["source"] == "saved_state"
    full = ask(make_model(prefix_cache=False), SYSTEM_A, "What is a library for?")
    assert restored.completion == full.completion


def test_prefix_cache_off_evaluates_full_prompt(make_model: Callable[..., Model]) -> None:
    model = make_model(prefix_cache=False)
    for query in ("Name a fruit.", "Name a colour."):
        stats = prefix_stats(ask(model, SYSTEM_A, query))
        assert stats["source"] == "disabled"
        assert stats["evaluated_tokens"] == stats["prompt_tokens"]
    assert api(model).counters.hits == 0


def test_missing_gguf_gives_clear_error(tmp_path: Path) -> None:
    missing = tmp_path / "absent.gguf"
    with pytest.raises(GGUFNotFoundError, match=r"absent\.gguf"):
        get_model(f"aflab-llamacpp/{missing}", memoize=False, engine="llama-cpp-python")


def test_prompt_longer_than_context_gives_clear_error(
    make_model: Callable[..., Model],
) -> None:
    with pytest.raises(PromptTooLongError, match="n_ctx"):
        ask(make_model(n_ctx=64), SYSTEM_A, "Hi")


def test_tools_are_rejected(make_model: Callable[..., Model]) -> None:
    tool = ToolInfo(name="lookup", description="Look something up.")
    with pytest.raises(UnsupportedInputError, match="tools"):
        coro = make_model().api.generate([ChatMessageUser(content="Hi")], [tool], "auto", GREEDY)
        asyncio.run(coro)


def test_eval_of_two_samples_logs_usage(tmp_path: Path) -> None:
    task = Task(
        dataset=[Sample(input="Say yes.", target="yes"), Sample(input="Say no.", target="no")],
        solver=[system_message(SYSTEM_A), generate()],
    )
    [log] = eval(
        task,
        model="aflab-llamacpp/smollm2",
        model_args={"n_ctx": 2048, "engine": "llama-cpp-python"},
        max_tokens=6,
        temperature=0.0,
        log_dir=str(tmp_path),
        display="none",
    )
    assert log.status == "success"
    assert log.samples is not None and len(log.samples) == 2
    usage = log.stats.model_usage["aflab-llamacpp/smollm2"]
    assert usage.output_tokens > 0
    assert usage.input_tokens + (usage.input_tokens_cache_read or 0) > 200
    assert list(tmp_path.glob("*.eval"))
