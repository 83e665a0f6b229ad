"""Dollars of a document-generation run, estimated or actual, model by model."""

from collections.abc import Mapping

from inspect_ai.model import ModelUsage, get_model_info

from aflab.cost import PriceTable

__all__ = ["PRICE_HINT", "documents_cost"]

PRICE_HINT = "pass --price INPUT OUTPUT (dollars per million tokens) or --prices FILE"


def documents_cost(
    usage: Mapping[str, ModelUsage],
    *,
    price: tuple[float, float] | None = None,
    prices: PriceTable | None = None,
    batch: bool = False,
) -> tuple[float | None, str]:
    """Dollars of `usage`, with where the prices came from (or why there are none).

    Each model is priced by, in order: `price` (the user's flat rate for every model),
    aflab's price table (batch discount applied), Inspect's model data. One unpriced model
    makes the total unknown: a partial sum would read as the whole cost.

    Args:
        usage: Tokens per model name.
        price: (input, output) dollars per million tokens for every model.
        prices: aflab's price table (`aflab.cost.load_prices()`).
        batch: Whether the calls go through the provider's batch API.

    Returns:
        (dollars or None, a note naming the sources or the unpriced models).
    """
    if price is not None:
        total = sum(use.input_tokens * price[0] + use.output_tokens * price[1]
                    for use in usage.values())
        return round(total / 1_000_000, 6), (
            f"--price: ${price[0]:g} input, ${price[1]:g} output per million tokens")
    total, sources, unpriced = 0.0, set(), []
    for model, use in usage.items():
        listed = prices.price(model) if prices is not None else None
        if listed is not None:
            total += listed.dollars(use, batch=batch)
            sources.add("aflab's price table" + (", batch discount" if batch else ""))
            continue
        rates = _inspect_rates(model)
        if rates is None:
            unpriced.append(model)
            continue
        total += (use.input_tokens * rates[0] + use.output_tokens * rates[1]) / 1_000_000
        sources.add("Inspect's model prices")
    if unpriced or not usage:
        names = ", ".join(unpriced) or "the models"
        return None, f"no price known for {names}: tokens are recorded, dollars are not; " \
            + PRICE_HINT
    return round(total, 6), " and ".join(sorted(sources))


def _inspect_rates(model: str) -> tuple[float, float] | None:
    try:
        info = get_model_info(model)
    except Exception:  # an unknown provider or a missing SDK: no price, not a failure
        return None
    if info is None or info.cost is None:
        return None
    return info.cost.input, info.cost.output
