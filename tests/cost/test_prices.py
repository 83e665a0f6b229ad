"""The shipped price table, users' overrides and the dollars of a usage record."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from inspect_ai.model import ModelUsage

from aflab.cost import PriceError, load_prices


def test_shipped_table_is_dated_and_prices_the_replication_models() -> None:
    table = load_prices()
    assert table.as_of
    opus = table.price("anthropic/claude-3-opus-20240229")
    assert opus is not None and opus.output > opus.input > opus.input_cache_read
    assert table.price("openai/gpt-4o") is not None
    local = table.price("aflab-llamacpp/smollm2")
    assert local is not None and local.output == 0.0
    assert table.price("unknown/model") is None


def test_dollars_follow_usage_and_batch_discount() -> None:
    price = load_prices().price("openai/gpt-4o")
    assert price is not None
    usage = ModelUsage(input_tokens=1_000_000, output_tokens=1_000_000,
                       input_tokens_cache_read=1_000_000)
    full = price.input + price.output + price.input_cache_read
    assert price.dollars(usage) == pytest.approx(full)
    assert price.dollars(usage, batch=True) == pytest.approx(full * (1 - price.batch_discount))


def test_user_table_overrides_and_adds(tmp_path: Path) -> None:
    own = tmp_path / "prices.yaml"
    own.write_text(
        "as_of: '2030-01-01'\nmodels:\n"
        "  openai/gpt-4o: {input: 1, output: 2, input_cache_write: 1, input_cache_read: 0.5}\n"
        "  lab/*: {input: 9, output: 9, input_cache_write: 9, input_cache_read: 9}\n",
        encoding="utf-8",
    )
    table = load_prices(own)
    assert table.as_of == "2030-01-01"
    gpt = table.price("openai/gpt-4o")
    assert gpt is not None and gpt.output == 2
    lab = table.price("lab/any-model")
    assert lab is not None and lab.input == 9
    assert table.price("anthropic/claude-3-opus-20240229") is not None  # kept from shipped


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("models: [1, 2]", "models"),
        ("models:\n  a/b: {input: -1, output: 1, input_cache_write: 1, input_cache_read: 1}",
         "a/b"),
        ("models:\n  a/b: {input: 1, output: 1, input_cache_write: 1, input_cache_read: 1, "
         "surcharge: 2}", "surcharge"),
        ("models: {a/b: [", "not valid YAML"),
    ],
)
def test_bad_table_gives_clear_error(tmp_path: Path, text: str, message: str) -> None:
    own = tmp_path / "prices.yaml"
    own.write_text(text, encoding="utf-8")
    with pytest.raises(PriceError, match=message):
        load_prices(own)
    with pytest.raises(PriceError, match="not found"):
        load_prices(tmp_path / "absent.yaml")


PRICE_PIECES = st.sampled_from([
    "as_of: '2030-01-01'\n", "models:\n", "  a/b: ", "  lab/*: ", "{input: 1, ", "output: 2, ",
    "input_cache_write: 1, ", "input_cache_read: 0.5", "}", "\n", "[", "-1", "nan", ": ", "\t",
    "batch_discount: 0.5, ", "batch_discount: 2, ", "min_cached_prompt: 1024, ", "\x00", "é",
])


@settings(max_examples=200, deadline=None)
@given(st.lists(PRICE_PIECES, max_size=30).map("".join))
def test_any_user_table_loads_or_gives_a_price_error(text: str) -> None:
    own = Path(tempfile.mkdtemp()) / "prices.yaml"
    own.write_text(text, encoding="utf-8")
    try:
        table = load_prices(own)
    except PriceError as err:
        assert str(err)
        return
    for price in table.models.values():
        assert min(price.input, price.output, price.input_cache_read) >= 0
        assert 0 <= price.batch_discount < 1
