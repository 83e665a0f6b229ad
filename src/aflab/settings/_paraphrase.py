"""Writing checked paraphrases of a setting's system prompt with a model.

A model rewords the prose of the default wording (`templates/system/p0.md.j2`) passage by
passage (`TemplateText`); the structure, placeholders and sections stay as they are, so each
result is a paraphrase file that a variant names with `paraphrase=file:PATH` (a folder of
them runs one condition per file). A paraphrase is kept only when its rendered system prompt
conveys every fact of the setting's checklist that the source wording conveys and
contradicts none (`check_facts`); every attempt, kept or not, is listed with its reasons in
`manifest.json`.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from inspect_ai.model import ChatMessageUser, GenerateConfig, Model, ModelName

from aflab.settings._errors import SettingError
from aflab.settings._facts import check_facts
from aflab.settings._paraphrase_template import (
    TemplateText,
    passage_reply_format,
    read_passages,
)
from aflab.settings._render import render_prompts
from aflab.settings._templates import TEMPLATE_DIR
from aflab.settings._types import PromptOptions, Setting

__all__ = ["MANIFEST", "Attempt", "ParaphraseRun", "write_paraphrases"]

MANIFEST = "manifest.json"
"""Name of the manifest written beside the paraphrase files."""

SOURCE = TEMPLATE_DIR / "system" / "p0.md.j2"
"""The wording that is paraphrased."""

_STYLES = (
    "plain and direct",
    "formal, like a policy document",
    "conversational",
    "concise, with shorter sentences",
    "detailed, with fuller sentences",
)

_REQUEST = """\
Below are the passages of a system prompt for an AI assistant. Rewrite every passage in \
new words: a {style} style, different sentence structure and vocabulary, the same meaning. \
Keep every fact, rule, number, condition and tag name (such as <OUTPUT>) exactly; add no new \
claims and drop nothing. Text in double curly braces, such as {{{{ company }}}}, is a \
placeholder: copy each one unchanged, as many times as it appears, and write no other curly \
braces. Answer with the {count} passages in the same tagged format, each with its id, and \
nothing else.

{passages}
"""


@dataclass
class Attempt:
    """One request for a paraphrase and what became of it.

    Attributes:
        attempt: 1-based attempt number.
        kept: Whether the paraphrase was kept.
        file: The paraphrase file (kept) or the rejected draft, relative to the output folder.
        reasons: Why it was rejected (empty when kept).
        conveyed: Facts its rendered prompt conveys.
        missing: Required facts it does not convey.
        contradicted: Facts it contradicts.
    """

    attempt: int
    kept: bool = False
    file: str | None = None
    reasons: list[str] = field(default_factory=list)
    conveyed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    contradicted: list[str] = field(default_factory=list)


@dataclass
class ParaphraseRun:
    """The outcome of `write_paraphrases`.

    Attributes:
        out: The output folder.
        requested: Paraphrases asked for.
        kept: Attempts whose paraphrase was kept, in order.
        rejected: Attempts rejected, with reasons.
        manifest: Path of the manifest.
    """

    out: Path
    requested: int
    kept: list[Attempt]
    rejected: list[Attempt]
    manifest: Path


async def write_paraphrases(
    model: Model,
    setting: Setting,
    n: int,
    out: Path,
    *,
    max_attempts: int | None = None,
    temperature: float = 1.0,
) -> ParaphraseRun:
    """Ask a model for paraphrases until `n` pass the fact check or attempts run out.

    Args:
        model: Any Inspect model (retries, timeouts and caching are Inspect's).
        setting: The setting whose facts every paraphrase must keep.
        n: Paraphrases wanted.
        out: Output folder (created; must not hold a manifest already).
        max_attempts: Requests at most (default 2n).
        temperature: Sampling temperature of the requests.

    Returns:
        Kept and rejected attempts; files `pN.md.j2` (kept), `rejected/attemptN.*` and
        `manifest.json` are written under `out`.

    Raises:
        SettingError: `n` < 1, or `out` already holds a manifest.
    """
    if n < 1:
        raise SettingError(f"--n must be at least 1, got {n}")
    attempts_left = max_attempts if max_attempts is not None else 2 * n
    if (out / MANIFEST).exists():
        raise SettingError(f"{out} already holds paraphrases ({MANIFEST}); choose a new folder")
    out.mkdir(parents=True, exist_ok=True)
    source = TemplateText(SOURCE.read_text(encoding="utf-8"))
    required = _required(setting, out)
    kept: list[Attempt] = []
    rejected: list[Attempt] = []
    number = 0
    while len(kept) < n and attempts_left > 0:
        batch = min(n - len(kept), attempts_left)
        numbers = range(number + 1, number + batch + 1)
        number += batch
        attempts_left -= batch
        replies = await asyncio.gather(
            *(_ask(model, source, i, temperature) for i in numbers), return_exceptions=True
        )
        for i, reply in zip(numbers, replies, strict=True):
            attempt = _judge(i, reply, source, setting, required, out, len(kept) + 1)
            (kept if attempt.kept else rejected).append(attempt)
    manifest = out / MANIFEST
    payload: dict[str, Any] = {
        "setting": setting.name,
        "model": str(ModelName(model)),
        "source": f"templates/system/{SOURCE.name}",
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "requested": n,
        "required_facts": list(required),
        "n_kept": len(kept),
        "n_rejected": len(rejected),
        "kept": [asdict(a) for a in kept],
        "rejected": [asdict(a) for a in rejected],
    }
    manifest.write_text(json.dumps(payload, indent=2), encoding="utf-8")
    return ParaphraseRun(out, n, kept, rejected, manifest)


def _required(setting: Setting, out: Path) -> tuple[str, ...]:
    """Facts the source wording itself conveys (the bar every paraphrase must meet)."""
    if not setting.facts:
        raise SettingError(
            f"setting {setting.name!r} has no fact checklist (`facts:` in setting.yaml), so "
            "a paraphrase cannot be checked; add one first"
        )
    text = render_prompts(setting, PromptOptions()).system
    return check_facts(text, setting.facts).conveyed


async def _ask(model: Model, source: TemplateText, attempt: int, temperature: float) -> str:
    style = _STYLES[(attempt - 1) % len(_STYLES)]
    request = _REQUEST.format(
        style=style,
        count=len(source.passages),
        passages=passage_reply_format(source.passages),
    )
    output = await model.generate(
        [ChatMessageUser(content=request)],
        config=GenerateConfig(temperature=temperature, seed=attempt),
    )
    if output.error:
        raise RuntimeError(output.error)
    return output.completion


def _judge(
    attempt: int,
    reply: str | BaseException,
    source: TemplateText,
    setting: Setting,
    required: tuple[str, ...],
    out: Path,
    next_index: int,
) -> Attempt:
    result = Attempt(attempt)
    if isinstance(reply, BaseException):
        result.reasons.append(f"model call failed: {type(reply).__name__}: {reply}"[:500])
        return result
    found = read_passages(reply)
    if not found:
        result.reasons.append('no <passage id="N"> block in the reply')
        result.file = _save_rejected(out, attempt, reply, ".txt")
        return result
    problems = [f"passage {p.id}: missing from the reply" for p in source.passages
                if p.id not in found]  # fmt: skip
    problems += [
        problem
        for p in source.passages
        if p.id in found and (problem := source.check_passage(p.id, found[p.id])) is not None
    ]
    if problems:
        result.reasons.extend(problems)
        result.file = _save_rejected(out, attempt, reply, ".txt")
        return result
    text = source.assemble(found)
    draft = out / "rejected" / f"attempt{attempt}.md.j2"
    draft.parent.mkdir(exist_ok=True)
    draft.write_text(text, encoding="utf-8")
    try:
        system = render_prompts(setting, PromptOptions(paraphrase_file=str(draft))).system
    except SettingError as error:
        result.reasons.append(f"does not render: {error}"[:500])
        result.file = str(draft.relative_to(out))
        return result
    facts = check_facts(system, setting.facts)
    result.conveyed = list(facts.conveyed)
    result.missing = [fact for fact in required if fact not in facts.conveyed]
    result.contradicted = list(facts.contradicted)
    result.reasons += [f"fact {fact}: not conveyed" for fact in result.missing]
    result.reasons += [f"fact {fact}: contradicted" for fact in result.contradicted]
    if result.reasons:
        result.file = str(draft.relative_to(out))
        return result
    final = out / f"p{next_index}.md.j2"
    draft.replace(final)
    result.kept = True
    result.file = final.name
    return result


def _save_rejected(out: Path, attempt: int, reply: str, suffix: str) -> str:
    path = out / "rejected" / f"attempt{attempt}{suffix}"
    path.parent.mkdir(exist_ok=True)
    path.write_text(reply, encoding="utf-8")
    return str(path.relative_to(out))
