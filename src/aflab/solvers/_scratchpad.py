"""Generation in the scratchpad format, with continuation turns."""

from __future__ import annotations

from inspect_ai.model import ChatMessageUser
from inspect_ai.solver import Generate, Solver, TaskState, solver

from aflab.contract import SolverRecord
from aflab.parsing import NEXT_TURN, parse_messages

DEFAULT_MAX_CONTINUATIONS = 4


@solver
def scratchpad_generate(max_continuations: int = DEFAULT_MAX_CONTINUATIONS) -> Solver:
    """Generate a reply; when the model stops before its output, ask it to go on.

    As in the original setup, a model may end its turn after a ``<SCRATCHPAD_REASONING>``
    block; the conversation then continues with a short ``<NEXT/>`` user turn (the system
    prompt tells the model what that turn means). A reply cut off by the token limit before
    its output block closed is continued the same way, so that a long scratchpad is not lost;
    both kinds of turn count against ``max_continuations``. A reply still cut off when the
    turns run out is recorded as truncated.

    Records in the sample's `SolverRecord`: ``continuations`` (turns added),
    ``max_tokens_hits`` (generations that stopped at the token limit), ``truncated`` (the last
    generation hit the token limit) and ``stop_reasons``.

    Args:
        max_continuations: Most ``<NEXT/>`` turns added to one sample.
    """

    async def solve(state: TaskState, generate: Generate) -> TaskState:
        state = await generate(state)
        stop_reasons = [state.output.stop_reason]
        continuations = 0
        while continuations < max_continuations:
            parsed = parse_messages(state.messages)
            finished = parsed.output is not None and not parsed.unclosed_output
            cut = state.output.stop_reason == "max_tokens" and not finished
            if not cut and not parsed.needs_continuation:
                break
            state.messages.append(ChatMessageUser(content=NEXT_TURN))
            continuations += 1
            state = await generate(state)
            stop_reasons.append(state.output.stop_reason)
        record = state.store_as(SolverRecord)
        record.continuations = continuations
        record.max_tokens_hits = stop_reasons.count("max_tokens")
        record.truncated = state.output.stop_reason == "max_tokens"
        record.stop_reasons = [str(r) for r in stop_reasons]
        return state

    return solve
