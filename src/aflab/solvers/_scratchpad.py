"""Generation in the scratchpad format, with continuation turns."""

from __future__ import annotations

from inspect_ai.model import ChatMessageUser
from inspect_ai.solver import Generate, Solver, TaskState, solver

from aflab.contract import SolverRecord
from aflab.parsing import NEXT_TURN, parse_messages

DEFAULT_MAX_CONTINUATIONS = 4


@solver
def scratchpad_generate(max_continuations: int = DEFAULT_MAX_CONTINUATIONS) -> Solver:
    """Generate a reply; when the model stops after reasoning without an output, ask it to go on.

    As in the original setup, a model may end its turn after a ``<SCRATCHPAD_REASONING>``
    block; the conversation then continues with a short ``<NEXT/>`` user turn, up to
    ``max_continuations`` times. A reply cut off by the token limit is not continued: it is
    recorded as truncated.

    Records in the sample's `SolverRecord`: ``continuations`` (turns added), ``truncated``
    (the last generation hit the token limit) and ``stop_reasons``.

    Args:
        max_continuations: Most ``<NEXT/>`` turns added to one sample.
    """

    async def solve(state: TaskState, generate: Generate) -> TaskState:
        state = await generate(state)
        stop_reasons = [state.output.stop_reason]
        continuations = 0
        while continuations < max_continuations:
            if state.output.stop_reason == "max_tokens":
                break
            if not parse_messages(state.messages).needs_continuation:
                break
            state.messages.append(ChatMessageUser(content=NEXT_TURN))
            continuations += 1
            state = await generate(state)
            stop_reasons.append(state.output.stop_reason)
        record = state.store_as(SolverRecord)
        record.continuations = continuations
        record.truncated = state.output.stop_reason == "max_tokens"
        record.stop_reasons = [str(r) for r in stop_reasons]
        return state

    return solve
