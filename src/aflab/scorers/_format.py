"""Format adherence: did the reply use the scratchpad and output blocks it was asked for?"""

from __future__ import annotations

from inspect_ai.scorer import Score, Scorer, Target, mean, scorer, stderr
from inspect_ai.solver import TaskState

from aflab.parsing import classified_text, is_native, parse_state

FORMAT_KEYS = ("format_ok", "scratchpad_present", "output_present", "truncated",
               "continuations")


def _uses_scratchpad(state: TaskState) -> bool:
    options = state.metadata.get("options") or {}
    return bool(options.get("scratchpad", True)) if isinstance(options, dict) else True


@scorer(
    metrics={
        "format_ok": [mean(), stderr()],
        "scratchpad_present": [mean(), stderr()],
        "output_present": [mean(), stderr()],
        "truncated": [mean(), stderr()],
        "continuations": [mean()],
    },
    name="format",
)
def format_adherence() -> Scorer:
    """Score format adherence.

    Value keys: ``format_ok`` (a non-empty output block, and a scratchpad when the variant
    uses one), ``scratchpad_present``, ``output_present``, ``truncated`` (the last generation
    stopped at the token limit) and ``continuations`` (continuation turns used). Metadata:
    ``tags`` (format tags seen), ``classified_text`` (``scratchpad``, or ``native_reasoning``
    under ``reasoning=native``, when the readable reasoning content and the answer are
    recorded as ``scratchpad`` and ``output``).
    """

    async def score(state: TaskState, target: Target) -> Score:
        parsed = parse_state(state)
        scratchpad = parsed.has_scratchpad
        output = parsed.has_output
        truncated = bool(state.metadata.get("truncated")) or (
            state.output is not None and state.output.stop_reason == "max_tokens")
        ok = output and (scratchpad or not _uses_scratchpad(state))
        return Score(
            value={
                "format_ok": float(ok),
                "scratchpad_present": float(scratchpad),
                "output_present": float(output),
                "truncated": float(truncated),
                "continuations": float(state.metadata.get("continuations", 0) or 0),
            },
            metadata={
                "tags": list(parsed.tags),
                "unclosed_scratchpad": parsed.unclosed_scratchpad,
                "unclosed_output": parsed.unclosed_output,
                "classified_text": classified_text(state.metadata),
                # The native reasoning is not in the reply's text: record it for the table.
                **({"scratchpad": parsed.scratchpad, "output": parsed.answer or None}
                   if is_native(state.metadata) else {}),
            },
        )

    return score
