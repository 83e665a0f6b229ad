"""A dry-run estimate of what `aflab docs generate` will ask of the models."""

from dataclasses import dataclass

from inspect_ai import Task
from inspect_ai.model import ChatMessage, ModelUsage

from aflab.cost import PriceTable, load_prices
from aflab.organisms._cost import documents_cost
from aflab.organisms._kinds import DOCUMENT_KINDS

__all__ = ["DocumentsEstimate", "estimate_documents"]

CHARS_PER_TOKEN = 4
TOKENS_PER_WORD = 1.4
# The judge prompt lists every fact beside the document: about this many tokens per fact.
_JUDGE_TOKENS_PER_FACT = 40


@dataclass(frozen=True)
class DocumentsEstimate:
    """Calls, tokens and (when a price is known) dollars, before anything runs."""

    documents: int
    writer_input_tokens: int
    writer_output_tokens: int
    writer_output_tokens_max: int
    judge_calls: int
    judge_input_tokens: int
    dollars: float | None
    price_source: str

    def format(self) -> str:
        """Human-readable summary."""
        dollars = (
            f"~${self.dollars:,.2f} ({self.price_source})"
            if self.dollars is not None
            else f"unknown: {self.price_source}"
        )
        return "\n".join(
            [
                f"documents:            {self.documents}",
                f"writer input tokens:  ~{self.writer_input_tokens:,}",
                f"writer output tokens: ~{self.writer_output_tokens:,} "
                f"(at most {self.writer_output_tokens_max:,})",
                f"judge calls:          {self.judge_calls}",
                f"judge input tokens:   ~{self.judge_input_tokens:,}",
                f"cost:                 {dollars}",
            ]
        )


def estimate_documents(
    task: Task,
    model: str,
    *,
    judge_model: str | None = None,
    facts: int = 0,
    price: tuple[float, float] | None = None,
    prices: PriceTable | None = None,
    batch: bool = False,
) -> DocumentsEstimate:
    """Estimate a document-generation run from its task (nothing is called).

    Args:
        task: The `synthetic_documents` task.
        model: The writer model name.
        judge_model: The judge, if any.
        facts: Facts in the checklist (sizes the judge prompt).
        price: (input, output) dollars per million tokens for every model.
        prices: aflab's price table (default: the shipped one), then Inspect's prices.
        batch: Whether the provider's batch API will be used (its discount applies).

    Returns:
        The estimate.
    """
    prices = prices if prices is not None else load_prices()
    words = {kind.name: kind.words for kind in DOCUMENT_KINDS}
    documents = len(task.dataset)
    max_tokens = task.config.max_tokens or 0
    prompt = 0
    output = 0
    for sample in task.dataset:
        messages = sample.input if isinstance(sample.input, list) else []
        prompt += sum(len(_text(m)) for m in messages) // CHARS_PER_TOKEN
        kind = str((sample.metadata or {}).get("kind", ""))
        output += min(int(words.get(kind, 400) * TOKENS_PER_WORD), max_tokens or 10**9)
    judge_calls = documents if judge_model else 0
    judge_input = output + judge_calls * (facts * _JUDGE_TOKENS_PER_FACT + 150)
    judge_input = judge_input if judge_calls else 0
    usage = {model: _usage(prompt, output)}
    if judge_model:
        judge_usage = _usage(judge_input, judge_calls * facts * 6)
        usage[judge_model] = (usage[judge_model] + judge_usage if judge_model in usage
                              else judge_usage)
    dollars, source = documents_cost(usage, price=price, prices=prices, batch=batch)
    return DocumentsEstimate(
        documents=documents,
        writer_input_tokens=prompt,
        writer_output_tokens=output,
        writer_output_tokens_max=documents * max_tokens,
        judge_calls=judge_calls,
        judge_input_tokens=judge_input,
        dollars=dollars,
        price_source=source,
    )


def _text(message: ChatMessage) -> str:
    return message.text


def _usage(input_tokens: int, output_tokens: int) -> ModelUsage:
    return ModelUsage(input_tokens=input_tokens, output_tokens=output_tokens,
                      total_tokens=input_tokens + output_tokens)
