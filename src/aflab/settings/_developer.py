"""`company=auto`: the real developer of the model under evaluation."""

from dataclasses import dataclass

from aflab.settings._types import DEFAULT_COMPANY

__all__ = ["DeveloperGuess", "company_for_model"]

# API providers that serve only their own developer's models.
_PROVIDERS: dict[str, str] = {
    "anthropic": "Anthropic",
    "openai": "OpenAI",
    "azureai": "Microsoft",
    "google": "Google DeepMind",
    "vertex": "Google DeepMind",
    "mistral": "Mistral AI",
    "grok": "xAI",
    "perplexity": "Perplexity",
}

# Model families, matched against the model name (and its organisation on hubs) when the
# provider hosts other developers' models (vllm, hf, together, openai-api, bedrock, ...).
_FAMILIES: tuple[tuple[str, str], ...] = (
    ("claude", "Anthropic"),
    ("gpt-", "OpenAI"),
    ("openai", "OpenAI"),
    ("gemini", "Google DeepMind"),
    ("gemma", "Google DeepMind"),
    ("llama", "Meta"),
    ("meta-llama", "Meta"),
    ("mistral", "Mistral AI"),
    ("mixtral", "Mistral AI"),
    ("qwen", "Alibaba Cloud"),
    ("deepseek", "DeepSeek"),
    ("grok", "xAI"),
    ("phi-", "Microsoft"),
    ("smollm", "Hugging Face"),
    ("olmo", "Ai2"),
    ("command", "Cohere"),
)


@dataclass(frozen=True)
class DeveloperGuess:
    """The developer `company=auto` names for a model, and how it was found.

    Attributes:
        company: The developer's name, or the default fictional developer when unknown.
        rule: `provider:<name>`, `family:<pattern>` or `fallback` (nothing matched).
    """

    company: str
    rule: str

    @property
    def known(self) -> bool:
        """Whether a real developer was found."""
        return self.rule != "fallback"


def company_for_model(model: str) -> DeveloperGuess:
    """The real developer of a model, from its Inspect name.

    The provider prefix decides when the provider serves only its own models
    (`anthropic/...` -> Anthropic); otherwise the model family in the rest of the name does
    (`vllm/meta-llama/Llama-3.1-8B-Instruct` -> Meta). An unknown model falls back to the
    default fictional developer, with `rule="fallback"` so the run can say so.

    Args:
        model: An Inspect model name, `provider/model`.

    Returns:
        The developer and the rule that found it.

    Examples:
        >>> company_for_model("anthropic/claude-3-opus-20240229").company
        'Anthropic'
        >>> company_for_model("openai-api/together/Qwen/Qwen2.5-72B-Instruct").company
        'Alibaba Cloud'
        >>> company_for_model("mockllm/model").rule
        'fallback'
    """
    provider, _, rest = model.strip().partition("/")
    provider = provider.lower()
    if provider in _PROVIDERS:
        return DeveloperGuess(_PROVIDERS[provider], f"provider:{provider}")
    name = rest.lower()
    for pattern, company in _FAMILIES:
        if pattern in name:
            return DeveloperGuess(company, f"family:{pattern}")
    return DeveloperGuess(DEFAULT_COMPANY, "fallback")
