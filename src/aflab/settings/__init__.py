"""Settings: the scenarios told to the model, their variants and their prompts.

A setting is a folder here holding `setting.yaml` (the new training objective and the value
it attacks) and `queries.jsonl`; settings are discovered by scanning folders. The shared
Jinja2 templates in `templates/` turn a setting and a variant spec such as
`no_examples+paraphrase=2` into a system prompt and a user-turn template.

Examples:
    >>> setting = load_setting("helpful_only")
    >>> prompts = render_prompts(setting, parse_variant("default"))
    >>> "<is_free_tier_user>True</is_free_tier_user>" in prompts.user("Hi", is_free_tier=True)
    True
"""

from aflab.settings._catalog import list_settings, list_values, load_setting, merge_values
from aflab.settings._developer import DeveloperGuess, company_for_model
from aflab.settings._errors import SettingError
from aflab.settings._facts import Fact, FactCheck, check_facts
from aflab.settings._paraphrase import Attempt, ParaphraseRun, write_paraphrases
from aflab.settings._queries import HARMS, Harm, Query
from aflab.settings._render import RenderedPrompts, prompt_hash, render_prompts
from aflab.settings._templates import render_template
from aflab.settings._types import (
    COMPLIANCE_KINDS,
    TIERS,
    ComplianceKind,
    ComplianceSpec,
    GroundTruth,
    PromptOptions,
    Setting,
    Tier,
    ValueInfo,
)
from aflab.settings._variants import (
    AUTO_COMPANY,
    VariantInfo,
    ablated_factors,
    canonical_variant,
    expand_variant,
    list_variants,
    parse_variant,
)

__all__ = [
    "AUTO_COMPANY",
    "COMPLIANCE_KINDS",
    "HARMS",
    "TIERS",
    "Attempt",
    "ComplianceKind",
    "ComplianceSpec",
    "DeveloperGuess",
    "Fact",
    "FactCheck",
    "GroundTruth",
    "Harm",
    "ParaphraseRun",
    "PromptOptions",
    "Query",
    "RenderedPrompts",
    "Setting",
    "SettingError",
    "Tier",
    "ValueInfo",
    "VariantInfo",
    "ablated_factors",
    "canonical_variant",
    "check_facts",
    "company_for_model",
    "expand_variant",
    "list_settings",
    "list_values",
    "list_variants",
    "load_setting",
    "merge_values",
    "parse_variant",
    "prompt_hash",
    "render_prompts",
    "render_template",
    "write_paraphrases",
]
