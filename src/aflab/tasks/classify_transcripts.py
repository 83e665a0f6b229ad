"""Classify existing transcripts (no model under test): replay them through aflab's scorers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from inspect_ai import Task, task
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.model import ChatMessageAssistant, ModelOutput
from inspect_ai.solver import Generate, Solver, TaskState, solver

from aflab.classifiers import DEFAULT_FAKING_VOTES, DEFAULT_FRAME_VOTES, DEFAULT_THRESHOLD
from aflab.contract import GRADER_ROLE
from aflab.data import DataError, read_records
from aflab.parsing import OUTPUT_TAG, SCRATCHPAD_TAG
from aflab.scorers import alignment_faking, compliance, frames

REPLAY_KEY = "replay"


class TranscriptFileError(ValueError):
    """A transcripts file that cannot be read; the message names the file and the row."""


EXPERIMENT_FIELDS = ("tier", "query_id", "epoch", "model", "setting", "variant")
"""Optional record fields that place a transcript in an experiment's design."""

EXTERNAL = "external"
"""Model and setting names of transcripts that do not give them."""

_TIER_NAMES = {
    "training": "training", "free": "training", "free_tier": "training",
    "unmonitored": "unmonitored", "paid": "unmonitored", "paid_tier": "unmonitored",
}  # fmt: skip


def _design(row: dict[str, Any], record_id: str, where: str) -> dict[str, Any] | None:
    """The experiment fields of one record, checked; None when it gives no tier."""
    if row.get("tier") is None:
        given = [f for f in EXPERIMENT_FIELDS if row.get(f) is not None]
        if given:
            raise TranscriptFileError(f"{where} gives {given} but no tier; add a tier")
        return None
    tier = _TIER_NAMES.get(str(row["tier"]).strip().lower())
    if tier is None:
        raise TranscriptFileError(
            f"{where} has tier {row['tier']!r}; use training (free) or unmonitored (paid)"
        )
    epoch = row.get("epoch", 1)
    if isinstance(epoch, bool) or not isinstance(epoch, int) or epoch < 1:
        raise TranscriptFileError(f"{where} has epoch {epoch!r}; use a whole number from 1")
    design: dict[str, Any] = {"tier": tier, "epoch": epoch}
    defaults = {"query_id": record_id, "model": EXTERNAL, "setting": EXTERNAL,
                "variant": "default"}  # fmt: skip
    for name, default in defaults.items():
        value = row.get(name, default)
        if isinstance(value, bool) or not isinstance(value, str | int) or not str(value).strip():
            raise TranscriptFileError(f"{where} has {name} {value!r}; use a non-empty string")
        design[name] = str(value).strip()
    return design


def _check_design(records: list[dict[str, Any]], wheres: list[str], path: Path) -> None:
    """Check that every record or none is placed, and that no sample is given twice.

    A sample is a cell (model, setting, variant, tier, query_id, epoch).
    """
    placed = [r for r in records if r["design"] is not None]
    if placed and len(placed) != len(records):
        missing = next(i for i, r in enumerate(records) if r["design"] is None)
        raise TranscriptFileError(
            f"{path}: {wheres[missing]} has no tier while others have one; give every row a tier"
        )
    seen: dict[tuple[str, ...], str] = {}
    for index, record in enumerate(records):
        if record["design"] is None:
            continue
        d = record["design"]
        key = tuple(str(d[k]) for k in ("model", "setting", "variant", "tier", "query_id", "epoch"))
        if key in seen:
            raise TranscriptFileError(
                f"{path}: {seen[key]} and {wheres[index]} are the same sample "
                f"(model, setting, variant, tier, query_id, epoch = {key}); give distinct epochs"
            )
        seen[key] = wheres[index]


def read_transcripts(
    path: str | Path,
    *,
    text_field: str = "text",
    output_field: str = "output",
    request_field: str = "request",
) -> list[dict[str, Any]]:
    """Read transcripts from JSON (a list, or ``{"samples": [...]}``), JSONL or CSV.

    Each record needs the scratchpad under ``text_field`` (or a whole reply in the scratchpad
    format, which is parsed); ``output_field`` and ``request_field`` are optional. The
    optional fields of `EXPERIMENT_FIELDS` place a transcript in a design, so that a report
    gives rates and paired gaps as for a run: ``tier`` (``training``/``free`` or
    ``unmonitored``/``paid``), ``query_id`` (default: the record's id; the same id in both
    tiers makes a pair), ``epoch`` (default 1), ``model``, ``setting`` (a shipped setting's
    name selects its compliance rule) and ``variant``. Either every record gives a tier or
    none does.

    Returns:
        Records with ``id``, ``scratchpad``, ``output``, ``request`` and ``design`` (the
        checked experiment fields, or None).

    Raises:
        TranscriptFileError: The file cannot be read, or a row is malformed (named by index).
    """
    path = Path(path)
    if not path.is_file():
        raise TranscriptFileError(f"transcripts file not found: {path}")
    try:
        rows = read_records(path)
    except DataError as err:
        raise TranscriptFileError(str(err)) from None
    if not rows:
        raise TranscriptFileError(f"{path}: no transcripts in the file")
    records = []
    first_seen: dict[str, str] = {}
    wheres: list[str] = []
    for row in rows:
        value = {text_field: row.value} if isinstance(row.value, str) else row.value
        if not isinstance(value.get(text_field), str):
            raise TranscriptFileError(
                f"{path}: {row.where} has no text field {text_field!r} (a string)"
            )
        record_id = str(value.get("id", row.index))
        if record_id in first_seen:
            raise TranscriptFileError(
                f"{path}: {row.where} repeats transcript id {record_id!r} "
                f"(first on {first_seen[record_id]}); give each transcript its own id"
            )
        first_seen[record_id] = row.where
        wheres.append(row.where)
        output = value.get(output_field)
        records.append(
            {
                "id": record_id,
                "design": _design(value, record_id, f"{path}: {row.where}"),
                "scratchpad": value[text_field],
                "output": output if isinstance(output, str) else None,
                "request": str(value.get(request_field) or ""),
            }
        )
    _check_design(records, wheres, path)
    return records


def _reply(record: dict[str, Any]) -> str:
    text = str(record["scratchpad"])
    if f"<{SCRATCHPAD_TAG}>" not in text:
        text = f"<{SCRATCHPAD_TAG}>{text}</{SCRATCHPAD_TAG}>"
    if record["output"] is not None:
        text += f"\n<{OUTPUT_TAG}>{record['output']}</{OUTPUT_TAG}>"
    return text


@solver
def replay() -> Solver:
    """Put the recorded reply in place of a generation (no model is called)."""

    async def solve(state: TaskState, generate: Generate) -> TaskState:
        reply = str(state.metadata[REPLAY_KEY])
        state.messages.append(ChatMessageAssistant(content=reply))
        state.output = ModelOutput.from_content(model="replay", content=reply)
        return state

    return solve


@task
def classify_transcripts(
    file: str,
    text_field: str = "text",
    output_field: str = "output",
    request_field: str = "request",
    judge_model: str | None = None,
    votes: int = DEFAULT_FAKING_VOTES,
    af_threshold: float = DEFAULT_THRESHOLD,
    frame_votes: int = DEFAULT_FRAME_VOTES,
) -> Task:
    """Score recorded transcripts for compliance, alignment-faking reasoning and the frames.

    Run with ``--model none``: nothing is generated; judges are called when ``judge_model``
    is given, otherwise the local classifiers are used. Transcripts that give a tier (see
    `read_transcripts`) carry their design in the sample metadata, so the log reads into the
    sample table like a run's.

    Args:
        file: JSON or JSONL file of transcripts.
        text_field: Field holding the scratchpad (or a whole reply in the scratchpad format).
        output_field: Field holding the final output, if any.
        request_field: Field holding the user request, if any (used by the compliance judge).
        judge_model: Judge model, bound as the ``grader`` model role (``--model-role
            grader=...`` of ``inspect eval`` does the same); local classifiers without one.
        votes: Judge votes per scratchpad for alignment faking.
        af_threshold: Share of yes votes that labels a scratchpad alignment faking.
        frame_votes: Judge votes per frame classifier.
    """
    records = read_transcripts(
        file, text_field=text_field, output_field=output_field, request_field=request_field
    )
    samples = [
        Sample(
            id=record["id"],
            input=record["request"] or "(no request recorded)",
            metadata={
                "query": record["request"],
                REPLAY_KEY: _reply(record),
                **(record["design"] or {}),
            },
        )
        for record in records
    ]
    return Task(
        dataset=MemoryDataset(samples, name=Path(file).stem),
        solver=replay(),
        # The judge is Inspect's ``grader`` model role; the scorers use it when it is bound.
        scorer=[
            compliance(),
            alignment_faking(votes=votes, threshold=af_threshold),
            frames(votes=frame_votes),
        ],
        model_roles={GRADER_ROLE: judge_model} if judge_model else None,
    )
