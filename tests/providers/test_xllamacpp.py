"""The default engine of aflab-llamacpp (llama.cpp's server, xllamacpp) on the embedded model.

What both engines do alike is tested in `test_embedded_engines.py`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import cast

import pytest

pytest.importorskip("xllamacpp")

from embedded_helpers import (
    GREEDY,
    SYSTEM_A,
    SYSTEM_B,
    ask,
    model_factory,
    prefix_stats,
    require_embedded_model,
)
from inspect_ai.model import GenerateConfig, Model, get_model

from aflab.providers import (
    PromptTooLongError,
    UnsupportedInputError,
    XLlamaCppAPI,
)

require_embedded_model()

pytestmark = pytest.mark.llama


@pytest.fixture
def make_model() -> Iterator[Callable[..., Model]]:
    with model_factory("xllamacpp") as make:
        yield make


def test_default_engine_is_the_prebuilt_server(make_model: Callable[..., Model]) -> None:
    model = make_model()
    assert isinstance(model.api, XLlamaCppAPI)
    assert model.api.max_connections() == 1
    assert make_model(parallel=3).api.max_connections() == 3




def test_seed_makes_sampling_reproducible(make_model: Callable[..., Model]) -> None:
    # Reuse off: a prompt read from the cache can differ from a full prefill in the last
    # bits of the logits, which sampling at temperature 1 may turn into another token.
    model = make_model(prefix_cache=False)
    config = GenerateConfig(max_tokens=12, temperature=1.0, seed=11)
    first = ask(model, SYSTEM_A, "Invent a name for a river.", config)
    ask(model, SYSTEM_B, "Anything else?", GREEDY)
    second = ask(model, SYSTEM_A, "Invent a name for a river.", config)
    assert first.completion == second.completion


def test_second_call_reuses_system_prefix(make_model: Callable[..., Model]) -> None:
    model = make_model()
    first = prefix_stats(ask(model, SYSTEM_A, "Name a fruit."))
    second = prefix_stats(ask(model, SYSTEM_A, "Name a colour."))
    assert first["source"] == "prefilled"
    assert first["evaluated_tokens"] == first["prompt_tokens"]
    assert second["source"] == "server_cache"
    assert second["reused_tokens"] > 100
    assert second["evaluated_tokens"] < 20
    assert second["evaluated_tokens"] == second["prompt_tokens"] - second["reused_tokens"]


def test_interleaved_system_prompts_each_keep_their_prefix(
    make_model: Callable[..., Model],
) -> None:
    model = make_model()
    ask(model, SYSTEM_A, "Name a fruit.")
    # Only the chat template's first few tokens are shared with the other prompt.
    assert prefix_stats(ask(model, SYSTEM_B, "Name a bread."))["evaluated_tokens"] > 100
    for system, query in ((SYSTEM_A, "Name a colour."), (SYSTEM_B, "Name a cake.")):
        stats = prefix_stats(ask(model, system, query))
        assert stats["source"] == "server_cache"
        assert stats["evaluated_tokens"] < 20
    assert cast(XLlamaCppAPI, model.api).counters.calls == 4


def test_reused_prefix_gives_same_output_as_full_prompt(
    make_model: Callable[..., Model],
) -> None:
    reused = make_model()
    ask(reused, SYSTEM_A, "Name a fruit.")
    ask(reused, SYSTEM_B, "Name a bread.")
    again = ask(reused, SYSTEM_A, "What is a library for?")
    assert prefix_stats(again)["source"] == "server_cache"
    full = ask(make_model(prefix_cache=False), SYSTEM_A, "What is a library for?")
    assert prefix_stats(full)["evaluated_tokens"] == prefix_stats(full)["prompt_tokens"]
    assert again.completion == full.completion



def test_tokenize_counts_tokens(make_model: Callable[..., Model]) -> None:
    model = make_model()
    tokens = asyncio.run(model.api.tokenize("The library opens at nine."))
    assert 4 <= len(tokens) <= 12
    assert asyncio.run(model.api.count_text_tokens("The library opens at nine.")) == len(tokens)



def test_llama_cpp_python_only_arg_is_refused() -> None:
    with pytest.raises(UnsupportedInputError, match="prefix_cache_size"):
        get_model("aflab-llamacpp/smollm2", memoize=False, prefix_cache_size=2)


def test_prompt_longer_than_context_gives_clear_error(
    make_model: Callable[..., Model],
) -> None:
    with pytest.raises(PromptTooLongError, match="n_ctx"):
        # llama.cpp rounds a small context up (to 256 tokens), so the prompt is longer.
        ask(make_model(n_ctx=64), SYSTEM_A * 4, "Hi")

