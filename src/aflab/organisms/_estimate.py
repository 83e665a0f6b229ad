"""A dry-run estimate of what `aflab docs generate` will ask of the models."""

from dataclasses import dataclass

from inspect_ai import Task
from inspect_ai.model import ChatMessage, get_model_info

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
            else "unknown: pass --price INPUT OUTPUT (dollars per million tokens)"
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
) -> DocumentsEstimate:
    """Estimate a document-generation run from its task (nothing is called).

    Args:
        task: The `synthetic_documents` task.
        model: The writer model name (its price is looked up in Inspect's model data).
        judge_model: The judge, if any.
        facts: Facts in the checklist (sizes the judge prompt).
        price: (input, output) dollars per million tokens; overrides Inspect's price.

    Returns:
        The estimate.
    """
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
    dollars, source = _price(model, judge_model, price, prompt, output, judge_input,
                             judge_calls * facts * 6)
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


def _price(
    model: str,
    judge_model: str | None,
    price: tuple[float, float] | None,
    prompt: int,
    output: int,
    judge_input: int,
    judge_output: int,
) -> tuple[float | None, str]:
    if price is not None:
        rate_in, rate_out = price
        total = (prompt + judge_input) * rate_in + (output + judge_output) * rate_out
        return total / 1_000_000, "--price, writer and judge alike"
    writer = _inspect_price(model)
    judge = _inspect_price(judge_model) if judge_model else (0.0, 0.0)
    if writer is None or judge is None:
        return None, ""
    total = prompt * writer[0] + output * writer[1]
    total += judge_input * judge[0] + judge_output * judge[1]
    return total / 1_000_000, "Inspect's model prices"


def _inspect_price(model: str) -> tuple[float, float] | None:
    try:
        info = get_model_info(model)
    except Exception:  # an unknown provider or a missing SDK: no price, not a failure
        return None
    if info is None or info.cost is None:
        return None
    return info.cost.input, info.cost.output
