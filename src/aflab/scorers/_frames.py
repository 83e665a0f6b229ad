"""Frames scorer: second-frame readings of the scratchpad and of any interview answers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from inspect_ai.model import Model
from inspect_ai.scorer import Score, Scorer, Target, scorer
from inspect_ai.solver import TaskState

from aflab.classifiers import (
    DEFAULT_FRAME_VOTES,
    DEFAULT_RETRIES,
    FRAMES,
    FrameReading,
    classify_frames_local,
    judge_frames,
    resolve_judge,
)
from aflab.parsing import classified_text, missing_scratchpad_reason, parse_state
from aflab.scorers._common import metrics_for, num, unscored
from aflab.settings import ValueInfo


def _describe(reading: FrameReading) -> dict[str, Any]:
    return {
        "scores": reading.scores,
        "value_named": reading.value_named,
        "method": reading.method,
        "votes": reading.votes,
        "evidence": reading.evidence,
        "failures": reading.failures,
        "calls": reading.calls,
        "unscored_reason": reading.unscored_reason,
    }


# Interview answers by context: asked in the same conversation, or in a fresh one.
_INTERVIEWS = (("interview", "same"), ("fresh_interview", "fresh"))


def _interview(state: TaskState) -> list[tuple[str, str, str]]:
    triples = []
    for key, context in _INTERVIEWS:
        items = state.metadata.get(key) or []
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict):
                triples.append((context, str(item.get("question", "")),
                                str(item.get("answer", "") or "")))
    return triples


@scorer(metrics=metrics_for(FRAMES), name="frames")
def frames(judge_model: str | Model | None = None, votes: int = DEFAULT_FRAME_VOTES,
           retries: int = DEFAULT_RETRIES, values: Sequence[ValueInfo] | None = None) -> Scorer:
    """Score the second-frame readings of a transcript.

    Args:
        judge_model: Judge model (name, `Model` or role name). None uses the ``grader`` role
            when one is bound, else the offline keyword fallback.
        votes: Judge votes per text.
        retries: Extra attempts for a failed judge vote.
        values: The values a reading may name (from the settings, with their descriptions
            and keywords); None: the values of the shipped settings.

    Value keys are the frames (0..1) read from the scratchpad (and output); interview answers
    are read too and reported under metadata ``interview``, each with its ``context``:
    ``same`` (asked in the conversation) or ``fresh`` (asked in a new one).
    """

    async def score(state: TaskState, target: Target) -> Score:
        judge = resolve_judge(judge_model)

        async def read(text: str, output: str | None = None) -> FrameReading:
            if judge is None:
                return classify_frames_local(text, output, values)
            return await judge_frames(text, model=judge, output=output, votes=votes,
                                      retries=retries, values=values)

        parsed = parse_state(state)
        interview = []
        for context, question, answer in _interview(state):
            reading = await read(answer) if answer.strip() else None
            interview.append({"context": context, "question": question,
                              **(_describe(reading) if reading else {"scores": None})})
        meta: dict[str, Any] = {"interview": interview,
                                "method": "local" if judge is None else "judge",
                                "classified_text": classified_text(state.metadata)}
        if not parsed.has_scratchpad:
            return unscored(FRAMES, missing_scratchpad_reason(state),
                            {**meta, "value_named": None})
        main = await read(parsed.scratchpad, parsed.output)
        meta.update({k: v for k, v in _describe(main).items() if k != "scores"})
        if main.unscored_reason is not None:
            return unscored(FRAMES, main.unscored_reason, meta)
        return Score(value={f: num(main.scores[f]) for f in FRAMES}, metadata=meta)

    return score
