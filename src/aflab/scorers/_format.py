"""Format adherence: did the reply use the scratchpad and output blocks it was asked for?"""

from __future__ import annotations

from inspect_ai.scorer import Score, Scorer, Target, scorer
from inspect_ai.solver import TaskState

from aflab.contract import FormatResult
from aflab.parsing import classified_text, is_native, parse_state
from aflab.scorers._common import sample_metadata, solver_record


def _truncated(state: TaskState) -> bool:
    """Whether the main exchange's last generation hit the token limit.

    The generation solver records it; without that record, ``state.output`` is the last
    generation only when no follow-up interview came after the main exchange.
    """
    record = solver_record(state)
    if record.truncated is not None:
        return record.truncated
    if record.interview_start is not None:
        return False
    return state.output is not None and state.output.stop_reason == "max_tokens"


@scorer(metrics=FormatResult.metrics(), name=FormatResult.SCORER)
def format_adherence() -> Scorer:
    """Score format adherence of the main exchange (the follow-up interview left out).

    Value keys: ``format_ok`` (a non-empty output block, and a scratchpad when the variant
    uses one), ``scratchpad_present``, ``output_present``, ``truncated`` (the last generation
    of the main exchange stopped at the token limit, as the generation solver records it) and
    ``continuations`` (continuation turns used). Metadata: ``tags`` (format tags seen),
    ``classified_text`` (``scratchpad``, or ``native_reasoning`` under ``reasoning=native``,
    when the readable reasoning content and the answer are recorded as ``scratchpad`` and
    ``output``).
    """

    async def score(state: TaskState, target: Target) -> Score:
        parsed = parse_state(state)
        ok = parsed.has_output and (parsed.has_scratchpad
                                    or not sample_metadata(state).uses_scratchpad)
        native = is_native(state.metadata)
        return FormatResult(
            format_ok=float(ok),
            scratchpad_present=float(parsed.has_scratchpad),
            output_present=float(parsed.has_output),
            truncated=float(_truncated(state)),
            continuations=float(solver_record(state).continuations),
            tags=list(parsed.tags),
            unclosed_scratchpad=parsed.unclosed_scratchpad,
            unclosed_output=parsed.unclosed_output,
            classified_text=classified_text(state.metadata),
            # The native reasoning is not in the reply's text: record it for the table.
            scratchpad=parsed.scratchpad if native else None,
            output=(parsed.answer or None) if native else None,
        ).to_score()

    return score
