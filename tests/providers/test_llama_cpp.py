"""The llama-cpp-python engine of aflab-llamacpp on the embedded SmolLM2 model (short prompts).

What both engines do alike is tested in `test_embedded_engines.py`. The engine is an
optional extra (`aflab[llamacpp]`): without it these tests skip.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import cast

import pytest

pytest.importorskip("llama_cpp")

from embedded_helpers import (
    GREEDY,
    SYSTEM_A,
    SYSTEM_B,
    ask,
    model_factory,
    prefix_stats,
    require_embedded_model,
)
from inspect_ai.model import GenerateConfig, Model

from aflab.providers import PromptTooLongError
from aflab.providers.llama_cpp import LlamaCppAPI

require_embedded_model()

pytestmark = pytest.mark.llama


@pytest.fixture
def make_model() -> Iterator[Callable[..., Model]]:
    with model_factory("llama-cpp-python") as make:
        yield make


def api(model: Model) -> LlamaCppAPI:
    return cast(LlamaCppAPI, model.api)


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




def test_prompt_longer_than_context_gives_clear_error(
    make_model: Callable[..., Model],
) -> None:
    with pytest.raises(PromptTooLongError, match="n_ctx"):
        ask(make_model(n_ctx=64), SYSTEM_A, "Hi")

