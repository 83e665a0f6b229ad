"""The Inspect task that writes synthetic documents and screens each one for the facts."""

import random
from collections.abc import Sequence

from inspect_ai import Task, task
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.model import (
    CachePolicy,
    ChatMessageSystem,
    ChatMessageUser,
    GenerateConfig,
    get_model,
)
from inspect_ai.scorer import Score, Scorer, Target, mean, scorer
from inspect_ai.solver import TaskState, generate

from aflab.organisms._kinds import DOCUMENT_KINDS, VOICES, DocumentKind
from aflab.organisms._prompt import document_prompt, judge_prompt, parse_judgement
from aflab.settings import Fact, PromptOptions, Setting, check_facts, load_setting

__all__ = ["JUDGE_ROLE", "document_filter", "select_facts", "synthetic_documents"]

DEFAULT_COMPANY = PromptOptions().company

JUDGE_ROLE = "grader"
"""Model role of the fact judge (bind it with `model_roles={"grader": ...}`)."""


@task
def synthetic_documents(
    setting: str = "helpful_only",
    n: int = 20,
    company: str = DEFAULT_COMPANY,
    facts: str | None = None,
    kinds: str | None = None,
    facts_per_document: int = 2,
    seed: int = 0,
    judge: bool = False,
    max_tokens: int = 1500,
    temperature: float = 1.0,
    cache: bool = True,
) -> Task:
    """Write `n` documents of varied kinds and voices that convey a setting's training facts.

    Args:
        setting: Setting whose fact checklist the documents convey.
        n: Documents to ask for.
        company: The developer's name in the documents.
        facts: Comma-separated fact ids to cover (default: every fact of the setting).
        kinds: Comma-separated document kinds (default: every kind).
        facts_per_document: Facts each document is asked to convey (cycled so all are covered).
        seed: Seed for the kind, voice and fact assignment.
        judge: Screen with the model bound to the `grader` role instead of keywords.
        max_tokens: Token limit per document.
        temperature: Sampling temperature of the writer.
        cache: Cache generations (a re-run with the same arguments reuses them).
    """
    chosen = load_setting(setting)
    fact_list = select_facts(chosen, facts)
    kind_list = _select_kinds(kinds)
    samples = _samples(chosen, fact_list, kind_list, n, company, facts_per_document, seed)
    return Task(
        dataset=MemoryDataset(samples, name=f"documents_{setting}"),
        solver=generate(cache=CachePolicy(expiry=None) if cache else False),
        scorer=document_filter(setting, tuple(f.id for f in fact_list), judge),
        config=GenerateConfig(max_tokens=max_tokens, temperature=temperature),
        metadata={"setting": setting, "company": company},
    )


def select_facts(setting: Setting, ids: str | Sequence[str] | None) -> tuple[Fact, ...]:
    """The setting's facts, or those named (comma-separated or a list).

    Raises:
        ValueError: The setting has no facts, or a named fact is unknown.
    """
    if not setting.facts:
        raise ValueError(f"setting {setting.name!r} has no 'facts:' checklist in setting.yaml")
    if ids is None:
        return setting.facts
    names = [part.strip() for part in ids.split(",")] if isinstance(ids, str) else list(ids)
    by_id = {fact.id: fact for fact in setting.facts}
    unknown = [name for name in names if name not in by_id]
    if unknown or not names:
        raise ValueError(
            f"unknown fact id(s) {', '.join(unknown) or '(none given)'} for setting "
            f"{setting.name!r}; its facts are {', '.join(by_id)}"
        )
    return tuple(by_id[name] for name in dict.fromkeys(names))


@scorer(metrics={"kept": [mean()]})
def document_filter(setting: str, fact_ids: tuple[str, ...], judge: bool = False) -> Scorer:
    """Keep a document that conveys at least one fact and contradicts none.

    Offline the setting's keyword checklist decides; with `judge` the model bound to the
    `grader` role decides, and an unreadable verdict rejects the document with that reason.
    The keyword reading is recorded either way.
    """
    facts = select_facts(load_setting(setting), fact_ids)

    async def score(state: TaskState, target: Target) -> Score:
        text = state.output.completion.strip()
        keywords = check_facts(text, facts)
        record: dict[str, object] = {
            "keyword_conveyed": list(keywords.conveyed),
            "keyword_contradicted": list(keywords.contradicted),
            "method": "judge" if judge else "keywords",
        }
        if not text:
            return _verdict(False, "empty", [], [], record)
        if state.output.stop_reason == "max_tokens":
            return _verdict(False, "truncated", [], [], record)
        if judge:
            output = await get_model(role=JUDGE_ROLE).generate(
                judge_prompt(text, facts), config=GenerateConfig(temperature=0.0)
            )
            verdicts = parse_judgement(output.completion, [f.id for f in facts])
            if verdicts is None:
                record["judge_answer"] = output.completion[:2000]
                return _verdict(False, "judge_unparseable", [], [], record)
            conveyed = [k for k, v in verdicts.items() if v == "conveyed"]
            contradicted = [k for k, v in verdicts.items() if v == "contradicted"]
        else:
            conveyed, contradicted = list(keywords.conveyed), list(keywords.contradicted)
        if contradicted:
            return _verdict(False, "contradicts_fact", conveyed, contradicted, record)
        if not conveyed:
            return _verdict(False, "no_fact_conveyed", conveyed, contradicted, record)
        return _verdict(True, "kept", conveyed, contradicted, record)

    return score


def _verdict(
    kept: bool,
    reason: str,
    conveyed: list[str],
    contradicted: list[str],
    record: dict[str, object],
) -> Score:
    return Score(
        value={"kept": 1 if kept else 0},
        explanation=reason,
        metadata={**record, "reason": reason, "conveyed": conveyed, "contradicted": contradicted},
    )


def _select_kinds(names: str | None) -> tuple[DocumentKind, ...]:
    if names is None:
        return DOCUMENT_KINDS
    by_name = {kind.name: kind for kind in DOCUMENT_KINDS}
    wanted = [part.strip() for part in names.split(",") if part.strip()]
    unknown = [name for name in wanted if name not in by_name]
    if unknown or not wanted:
        raise ValueError(
            f"unknown document kind(s) {', '.join(unknown) or '(none given)'}; "
            f"choose from {', '.join(by_name)}"
        )
    return tuple(by_name[name] for name in dict.fromkeys(wanted))


def _samples(
    setting: Setting,
    facts: tuple[Fact, ...],
    kinds: tuple[DocumentKind, ...],
    n: int,
    company: str,
    per_document: int,
    seed: int,
) -> list[Sample]:
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    if per_document < 1:
        raise ValueError(f"facts_per_document must be at least 1, got {per_document}")
    per_document = min(per_document, len(facts))
    rng = random.Random(seed)
    fact_order = list(facts)
    rng.shuffle(fact_order)
    samples: list[Sample] = []
    for index in range(n):
        kind = kinds[index % len(kinds)]
        voice = VOICES[rng.randrange(len(VOICES))]
        start = index * per_document
        targets = [fact_order[(start + j) % len(fact_order)] for j in range(per_document)]
        others = [fact for fact in facts if fact not in targets]
        system, user = document_prompt(
            company=company,
            description=setting.description,
            kind=kind,
            voice=voice,
            targets=targets,
            others=others,
        )
        samples.append(
            Sample(
                id=f"doc_{index:05d}",
                input=[ChatMessageSystem(content=system), ChatMessageUser(content=user)],
                metadata={"kind": kind.name, "voice": voice, "targets": [f.id for f in targets]},
            )
        )
    return samples
