"""Assembling the default system prompt from a paraphrase's sections.

Each paraphrase template (`templates/system/pN.md.j2`) defines one Jinja2 macro per section
and a list `order` giving its own order of sections. The variant decides which sections are
shown and where the training facts go; the wording comes from the paraphrase.
"""

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2

from aflab.settings._errors import SettingError
from aflab.settings._sandbox import render_budget
from aflab.settings._templates import (
    compile_file,
    describe_error,
    environment,
    render_template,
)
from aflab.settings._types import PromptOptions

__all__ = ["FACT_SECTIONS", "SECTIONS", "compose_facts", "compose_system"]

SECTIONS = (
    "identity",
    "format",
    "worked_examples",
    "situation",
    "new_objective",
    "training",
    "rlhf_effect",
    "tier_tag",
    "privacy",
    "tag_convention",
)
"""Sections every paraphrase defines (as macros) and lists in its `order`."""

FACT_SECTIONS = ("new_objective", "training", "rlhf_effect")
"""Sections carrying the training facts: they move with `channel` and `facts`."""


def compose_system(context: Mapping[str, Any], options: PromptOptions) -> str:
    """Render the default system prompt for the given options.

    Args:
        context: Template variables (see `aflab.settings._render.template_context`).
        options: The resolved prompt options.

    Returns:
        The system prompt, sections separated by blank lines.

    Raises:
        SettingError: The paraphrase template is missing, malformed or lacks a section.
    """
    # One budget for the whole prompt: the paraphrase's macros run after its module is made.
    with render_budget():
        return _compose(context, options)


def _compose(context: Mapping[str, Any], options: PromptOptions) -> str:
    sections = _paraphrase_sections(options, context)
    active = [name for name in sections.order if _shown(name, options, context)]
    in_place = options.channel == "system" and options.facts_position == "default"
    facts = "" if in_place else _facts_block(sections, active, context, options)
    blocks: list[str] = []
    if options.test_disclosed:
        blocks.append(render_template("system/test_disclosure.md.j2", context))
    placed = False
    for name in active:
        if name not in FACT_SECTIONS:
            blocks.append(_section(sections, name, context))
            if name == "identity" and options.facts_position == "front":
                blocks.append(facts)
                placed = True
        elif in_place:
            blocks.append(_section(sections, name, context))
        elif not placed:
            blocks.append(facts)
            placed = True
    return "\n\n".join(block for block in blocks if block)


def compose_facts(context: Mapping[str, Any], options: PromptOptions) -> str:
    """The training facts (objective, criteria, training, RLHF effect) as one text.

    Every channel carries this same text; only the frame around it (system prompt, memo,
    news report, developer notice) changes, so channels differ in source alone.
    """
    with render_budget():
        sections = _paraphrase_sections(options, context)
        active = [name for name in sections.order if _shown(name, options, context)]
        return _fact_text(sections, active, context)


def _section(sections: "_Sections", name: str, context: Mapping[str, Any]) -> str:
    """A section's text with the shared notes the options add to it."""
    if name == "training" and context["training_use"] == "rated_not_trained":
        text = render_template("system/notes/rated_not_trained.md.j2", context)
    else:
        text = sections.render(name)
    note = {
        "identity": "system/developer_record.md.j2",
        "training": "system/notes/training.md.j2",
        "rlhf_effect": "system/notes/rlhf.md.j2",
    }.get(name)
    extra = render_template(note, context) if note else ""
    return "\n\n".join(part for part in (text, extra) if part)


def _fact_text(sections: "_Sections", active: list[str], context: Mapping[str, Any]) -> str:
    return "\n\n".join(
        _section(sections, name, context) for name in active if name in FACT_SECTIONS
    )


class _Sections:
    """The macros and section order of one rendered paraphrase template."""

    def __init__(self, name: str, module: Any) -> None:
        self.name = name
        self.module = module
        order = getattr(module, "order", None)
        if not isinstance(order, list) or sorted(order) != sorted(SECTIONS):
            raise SettingError(
                f"template {name}: 'order' must list each section once: {', '.join(SECTIONS)}"
            )
        if order[0] != "identity" or order[1] in FACT_SECTIONS:
            raise SettingError(
                f"template {name}: 'order' must start with identity followed by a section "
                f"other than {', '.join(FACT_SECTIONS)}"
            )
        self.order: list[str] = order

    def render(self, section: str) -> str:
        macro: Callable[[], str] | None = getattr(self.module, section, None)
        if macro is None:
            raise SettingError(f"template {self.name}: no macro for section {section!r}")
        try:
            return str(macro()).strip()
        except Exception as error:  # any failure inside a template is reported
            raise SettingError(
                f"template {self.name}, section {section}: {describe_error(error)}"
            ) from error


def _paraphrase_sections(options: PromptOptions, context: Mapping[str, Any]) -> _Sections:
    if options.paraphrase_file is not None:
        return _file_sections(Path(options.paraphrase_file).expanduser(), context)
    name = f"system/p{options.paraphrase}.md.j2"
    try:
        module = environment().get_template(name).make_module(dict(context))
    except jinja2.TemplateNotFound as error:
        raise SettingError(
            f"no paraphrase {options.paraphrase}: template {name} not found"
        ) from error
    except Exception as error:  # any failure inside a template is reported
        raise SettingError(f"template {name}: {describe_error(error)}") from error
    return _Sections(name, module)


def _file_sections(path: Path, context: Mapping[str, Any]) -> _Sections:
    """A user's paraphrase file, compiled like any user template (it is untrusted input)."""
    template = compile_file(path, "paraphrase file")
    try:
        module = template.make_module(dict(context))
    except Exception as error:  # any failure inside a template is reported
        raise SettingError(f"paraphrase file {path}: {describe_error(error)}") from error
    if getattr(module, "order", None) is None:
        raise SettingError(
            f"paraphrase file {path} defines no 'order': a paraphrase file defines one macro "
            f"per section ({', '.join(SECTIONS)}) and a list 'order', like "
            "templates/system/p0.md.j2; for a whole system prompt use --system-prompt-file"
        )
    return _Sections(str(path), module)


def _shown(name: str, options: PromptOptions, context: Mapping[str, Any]) -> bool:
    if name == "worked_examples":
        return bool(context["examples"])
    if name == "situation":
        return options.think_situation
    if name == "rlhf_effect":
        return options.rlhf and options.training_use != "rated_not_trained"
    if name == "privacy":
        return options.scratchpad
    if name == "tag_convention":
        return bool(context["tags"])
    return True


def _facts_block(
    sections: _Sections,
    active: list[str],
    context: Mapping[str, Any],
    options: PromptOptions,
) -> str:
    """The training facts as one block, for every placement but the in-place default."""
    if options.channel == "user" or options.facts_position == "none":
        return ""
    facts = _fact_text(sections, active, context)
    if options.channel in ("document", "news"):
        facts = render_template("channels/document_frame.md.j2", {**context, "facts_text": facts})
    if options.facts_position == "buried":
        return render_template("guidelines/block.md.j2", {**context, "facts_text": facts})
    return facts
