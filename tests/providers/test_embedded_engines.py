"""What both engines of aflab-llamacpp do alike, on the embedded SmolLM2 model."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import cast

import pytest
from embedded_helpers import (
    ENGINE_ARGS,
    ENGINES,
    GREEDY,
    SYSTEM_A,
    ask,
    model_factory,
    prefix_stats,
    require_embedded_model,
)
from inspect_ai import Task, eval
from inspect_ai.dataset import Sample
from inspect_ai.model import ChatMessageUser, GenerateConfig, Model, get_model
from inspect_ai.solver import generate, system_message
from inspect_ai.tool import ToolInfo

from aflab.providers import (
    GGUFNotFoundError,
    UnsupportedInputError,
)
from aflab.providers._engine_base import EmbeddedEngineAPI

require_embedded_model()

pytestmark = pytest.mark.llama


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def make_model(engine: str) -> Iterator[Callable[..., Model]]:
    with model_factory(engine) as make:
        yield make


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


def test_prefix_cache_off_evaluates_full_prompt(make_model: Callable[..., Model]) -> None:
    model = make_model(prefix_cache=False)
    for query in ("Name a fruit.", "Name a colour."):
        stats = prefix_stats(ask(model, SYSTEM_A, query))
        assert stats["source"] == "disabled"
        assert stats["evaluated_tokens"] == stats["prompt_tokens"]
    assert cast(EmbeddedEngineAPI, model.api).counters.hits == 0


def test_missing_gguf_gives_clear_error(engine: str, tmp_path: Path) -> None:
    missing = tmp_path / "absent.gguf"
    with pytest.raises(GGUFNotFoundError, match=r"absent\.gguf"):
        get_model(f"aflab-llamacpp/{missing}", memoize=False, **ENGINE_ARGS[engine])


@pytest.mark.parametrize(
    ("config", "match"),
    [
        (GREEDY, "tools"),
        (GenerateConfig(num_choices=2), "one choice"),
        (GenerateConfig(logprobs=True), "logprobs"),
    ],
)
def test_unsupported_input_is_refused(
    make_model: Callable[..., Model], config: GenerateConfig, match: str
) -> None:
    tools = [ToolInfo(name="lookup", description="Look something up.")] if match == "tools" else []
    with pytest.raises(UnsupportedInputError, match=match):
        coro = make_model().api.generate([ChatMessageUser(content="Hi")], tools, "auto", config)
        asyncio.run(coro)


def test_eval_of_two_samples_logs_usage(engine: str, tmp_path: Path) -> None:
    task = Task(
        dataset=[Sample(input="Say yes.", target="yes"), Sample(input="Say no.", target="no")],
        solver=[system_message(SYSTEM_A), generate()],
    )
    [log] = eval(
        task,
        model="aflab-llamacpp/smollm2",
        model_args=ENGINE_ARGS[engine],
        max_tokens=6,
        temperature=0.0,
        log_dir=str(tmp_path),
        display="none",
    )
    assert log.status == "success"
    assert log.samples is not None and len(log.samples) == 2
    usage = log.stats.model_usage["aflab-llamacpp/smollm2"]
    assert usage.output_tokens > 0
    # The second sample reads the shared system prompt from the prefix cache.
    assert (usage.input_tokens_cache_read or 0) > 100
    assert list(tmp_path.glob("*.eval"))
