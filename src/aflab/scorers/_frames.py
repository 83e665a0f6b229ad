"""Frames scorer: second-frame readings of the scratchpad and of any interview answers."""

from __future__ import annotations

from inspect_ai.model import Model
from inspect_ai.scorer import Score, Scorer, Target, scorer
from inspect_ai.solver import TaskState

from aflab.classifiers import (
    DEFAULT_FRAME_VOTES,
    DEFAULT_RETRIES,
    FrameReading,
    classify_frames_local,
    judge_frames,
    resolve_judge,
)
from aflab.contract import FrameReadingRecord, FramesResult, VoteRecord
from aflab.parsing import parse_state
from aflab.scorers._common import solver_record


def _record(reading: FrameReading, question: str | None = None) -> FrameReadingRecord:
    """A classifier's reading as the contract records it."""
    return FrameReadingRecord(
        question=question, scores=reading.scores, value_named=reading.value_named,
        method=reading.method, evidence=reading.evidence,
        votes={f: [VoteRecord.of(v) for v in vs] for f, vs in reading.votes.items()},
        failures=reading.failures, calls=reading.calls, input_tokens=reading.input_tokens,
        output_tokens=reading.output_tokens, unscored_reason=reading.unscored_reason,
    )


@scorer(metrics=FramesResult.metrics(), name=FramesResult.SCORER)
def frames(judge_model: str | Model | None = None, votes: int = DEFAULT_FRAME_VOTES,
           retries: int = DEFAULT_RETRIES) -> Scorer:
    """Score the second-frame readings of a transcript.

    Args:
        judge_model: Judge model (name, `Model` or role name). None uses the ``grader`` role
            when one is bound, else the offline keyword fallback.
        votes: Judge votes per text.
        retries: Extra attempts for a failed judge vote.

    Emits a `FramesResult`: the frames (0..1) read from the scratchpad (and output); interview
    answers are read too and kept in its ``interview``.
    """

    async def score(state: TaskState, target: Target) -> Score:
        judge = resolve_judge(judge_model)

        async def read(text: str, output: str | None = None) -> FrameReading:
            if judge is None:
                return classify_frames_local(text, output)
            return await judge_frames(text, model=judge, output=output, votes=votes,
                                      retries=retries)

        interview = [
            _record(await read(turn.answer), turn.question) if turn.answer.strip()
            else FrameReadingRecord(question=turn.question)
            for turn in solver_record(state).interview
        ]
        method = "local" if judge is None else "judge"
        parsed = parse_state(state)
        if not parsed.has_scratchpad:
            return FramesResult.unscored("no_scratchpad", method=method,
                                         interview=interview).to_score()
        main = _record(await read(parsed.scratchpad, parsed.output))
        fields = main.model_dump(exclude={"question", "scores", "unscored_reason"})
        fields.update(method=method, interview=interview)
        if main.unscored_reason is not None or main.scores is None:
            return FramesResult.unscored(main.unscored_reason or "unscored", **fields).to_score()
        return FramesResult.model_validate({**fields, **main.scores}).to_score()

    return score
