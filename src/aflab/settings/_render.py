"""Rendering the system prompt and the user turn of a setting under a variant."""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2.meta

from aflab.settings._compose import compose_facts, compose_system
from aflab.settings._errors import SettingError
from aflab.settings._templates import (
    TEMPLATE_DIR,
    environment,
    is_jinja,
    paraphrase_count,
    render_source,
    render_template,
)
from aflab.settings._text import read_text
from aflab.settings._types import PromptOptions, Setting

__all__ = [
    "RenderedPrompts",
    "check_user_turn",
    "prompt_hash",
    "render_prompts",
    "template_context",
]


def prompt_hash(text: str) -> str:
    """First 12 hex digits of the SHA-256 of text.

    Examples:
        >>> prompt_hash("hello")
        '2cf24dba5fb0'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class RenderedPrompts:
    """A rendered system prompt and the user-turn template that goes with it.

    Attributes:
        system: The system prompt.
        user_template: Jinja2 source of the user turn; variables `query`, `is_free_tier`,
            `tier`, `tags` and `preamble`.
        tags: Whether the accept/reject tag convention is on.
        preamble: Developer notice placed in the user turn (`channel=user`), else "".
        prompt_hash: First 12 hex digits of the SHA-256 of `system`.
    """

    system: str
    user_template: str
    tags: bool = False
    preamble: str = ""
    user_origin: str = field(default="user turn template", repr=False)
    prompt_hash: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "prompt_hash", prompt_hash(self.system))

    def user(self, query: str, is_free_tier: bool, operator_context: str | None = None) -> str:
        """Render the user turn for one query.

        Args:
            query: The user's request.
            is_free_tier: The value of the tier tag (True = free tier = training).
            operator_context: Facts from the business that deployed the model, shown in their
                own `<operator_context>` block outside `<user_input>` (None: no block).

        Returns:
            The user message.

        Raises:
            SettingError: `is_free_tier` is not a bool, or the template uses an unknown variable.
        """
        if not isinstance(is_free_tier, bool):
            raise SettingError(f"is_free_tier must be True or False, got {is_free_tier!r}")
        variables = {
            "query": query,
            "is_free_tier": is_free_tier,
            "tier": "training" if is_free_tier else "unmonitored",
            "tags": self.tags,
            "preamble": self.preamble,
            "operator_context": operator_context or "",
        }
        return render_source(self.user_template, variables, self.user_origin).strip()


def render_prompts(
    setting: Setting,
    options: PromptOptions,
    *,
    system_prompt_file: Path | None = None,
    user_template_file: Path | None = None,
) -> RenderedPrompts:
    """Render the prompts of a setting under a variant.

    Args:
        setting: The setting.
        options: The variant's options (see `parse_variant`).
        system_prompt_file: Own system prompt: used as is when plain text, rendered with the
            same variables as the shipped templates when it holds `{{` or `{%`.
        user_template_file: Own Jinja2 user-turn template (variables `query`,
            `is_free_tier`, `tier`, `tags`, `preamble`).

    Returns:
        The rendered system prompt and the user-turn template.

    Raises:
        SettingError: A file is missing, a template is invalid or uses an unknown variable,
            the paraphrase does not exist, a custom user template would drop the
            developer notice of `channel=user`, or the user turn ignores the query or the
            tier (see `check_user_turn`).
    """
    if options.company == "auto":
        raise SettingError(
            "company=auto names the evaluated model's developer, so it needs the model: "
            "resolve it first with company_for_model (the task and `aflab prompt --model` do)"
        )
    count = paraphrase_count()
    if options.paraphrase >= count:
        raise SettingError(f"no paraphrase {options.paraphrase}; choose 0 to {count - 1}")
    context = template_context(setting, options)
    if system_prompt_file is None:
        system = compose_system(context, options)
    else:
        source = _read(system_prompt_file, "system prompt file")
        system = (
            render_source(source, context, str(system_prompt_file)) if is_jinja(source) else source
        )
    if user_template_file is None:
        user_source = (TEMPLATE_DIR / "user_turn.md.j2").read_text(encoding="utf-8")
        origin = "templates/user_turn.md.j2"
    else:
        user_source = _read(user_template_file, "user template file")
        origin = str(user_template_file)
    preamble = ""
    if options.channel == "user":
        facts = compose_facts(context, options)
        preamble = render_template("channels/user_notice.md.j2", {**context, "facts_text": facts})
        _require_preamble(user_source, origin)
    prompts = RenderedPrompts(
        system=system.strip(),
        user_template=user_source,
        tags=bool(context["tags"]),
        preamble=preamble,
        user_origin=origin,
    )
    check_user_turn(prompts)
    return prompts


_PROBES = ("Name three rivers in Europe.", "How do I boil an egg?")


def check_user_turn(prompts: RenderedPrompts) -> None:
    """Refuse a user-turn template whose output ignores the query or the tier.

    The template is rendered for two different queries in both tiers and the results are
    compared, so whatever the template does with its variables, what counts is the text the
    model would see.

    Raises:
        SettingError: Two queries give the same user turn (the query is never shown), or
            the training and unmonitored tiers give the same user turn (the comparison
            between tiers would compare identical prompts).
    """
    turns = {
        (query, free): prompts.user(query, is_free_tier=free)
        for query in _PROBES
        for free in (True, False)
    }
    for free in (True, False):
        if turns[_PROBES[0], free] == turns[_PROBES[1], free]:
            tier = "training" if free else "unmonitored"
            raise SettingError(
                f"{prompts.user_origin}: the user turn never shows the request (in the "
                f"{tier} tier two different queries give the same text); put {{{{ query }}}} "
                "in the template"
            )
    if all(turns[query, True] == turns[query, False] for query in _PROBES):
        raise SettingError(
            f"{prompts.user_origin}: the user turn is the same in the training and the "
            "unmonitored tier, so the two conditions would see identical prompts and any gap "
            "between them would be noise; show the tier with {{ is_free_tier }} (as the "
            "shipped user_turn.md.j2 does) or {{ tier }}"
        )


def template_context(setting: Setting, options: PromptOptions) -> dict[str, Any]:
    """Variables available to every template (and to a custom system-prompt file).

    Besides every `PromptOptions` field (with `tags` resolved to a bool, off under
    `no_objective`, and `examples` false when there is no scratchpad) it holds the setting's
    texts, rendered for the company and paraphrase: `objective_text`, `criteria` (the control
    criteria under `no_objective`), `target_criteria`, `control_criteria` (ordinary helpful,
    honest and harmless criteria, the same in every setting), `summary`, `rationale`, plus
    `setting_name`, `value`, `description` and `example_text` (the worked examples).
    """
    where = f"{setting.path / 'setting.yaml'}"
    base = {"company": options.company, "setting_name": setting.name, "value": setting.value}
    number = options.paraphrase
    objective_text = render_source(setting.objective_for(number), base, f"{where} objective")
    target = render_source(setting.criteria_for(number), base, f"{where} criteria")
    control = render_template("system/control_criteria.md.j2", base)
    summary = render_source(setting.summary, base, f"{where} summary")
    rationale = render_source(setting.rationale, base, f"{where} rationale")
    context: dict[str, Any] = {
        **{name: getattr(options, name) for name in options.__dataclass_fields__},
        **base,
        "description": setting.description,
        "tags": _tags(setting, options),
        "examples": options.examples and options.scratchpad,
        "objective_text": objective_text,
        "criteria": target if options.objective else control,
        "target_criteria": target,
        "control_criteria": control,
        "summary": summary,
        "rationale": rationale,
    }
    context["example_text"] = _examples(context)
    return context


def _tags(setting: Setting, options: PromptOptions) -> bool:
    if options.tags is not None:
        return options.tags
    # The control has no tag rule: the convention exists to read the new objective.
    return setting.uses_tags and options.objective


def _examples(context: dict[str, Any]) -> str:
    files = sorted((TEMPLATE_DIR / "examples").glob("*.md.j2"))
    return "\n\n".join(
        render_template(f"examples/{file.name}", {**context, "example_number": index})
        for index, file in enumerate(files, start=1)
    )


def _read(path: Path, what: str) -> str:
    return read_text(Path(path), what)


def _require_preamble(source: str, origin: str) -> None:
    try:
        names = jinja2.meta.find_undeclared_variables(environment().parse(source))
    except jinja2.TemplateSyntaxError as error:
        raise SettingError(
            f"{origin}: syntax error on line {error.lineno}: {error.message}"
        ) from error
    if "preamble" not in names:
        raise SettingError(
            f"{origin}: channel=user puts the developer notice in the user turn, but this "
            "template never uses {{ preamble }}"
        )
