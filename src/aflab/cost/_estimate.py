"""Calls, tokens and dollars of an experiment per model and judge, before it runs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from inspect_ai import Task
from inspect_ai.model import ModelUsage

from aflab.cost._prices import PriceTable
from aflab.cost._tokens import count_tokens

DEFAULT_REPLY_TOKENS = 700
"""Expected tokens of one reply (scratchpad and answer) when none is given; capped at max_tokens."""

JUDGES = ("compliance", "alignment_faking", "frames")


@dataclass(frozen=True)
class CostLine:
    """What one model (under test, or one judge) is expected to cost."""

    role: str
    model: str
    calls: int
    input_tokens: int
    input_tokens_cache_read: int
    input_tokens_cache_write: int
    output_tokens: int
    dollars: float | None
    dollars_max: float | None

    @property
    def usage(self) -> ModelUsage:
        """The tokens as Inspect's usage record (input_tokens: uncached)."""
        return ModelUsage(
            input_tokens=self.input_tokens,
            output_tokens=self.output_tokens,
            input_tokens_cache_read=self.input_tokens_cache_read,
            input_tokens_cache_write=self.input_tokens_cache_write,
            total_tokens=self.input_tokens + self.input_tokens_cache_read
            + self.input_tokens_cache_write + self.output_tokens,
        )


@dataclass(frozen=True)
class Workload:
    """The shape of the work, as read from the experiment (counts per model under test)."""

    samples: int
    system_tokens: int
    other_input_tokens: int
    system_prompts: int
    interview_questions: tuple[int, ...]
    max_continuations: int
    reply_tokens: int
    max_tokens: int

    @classmethod
    def from_tasks(
        cls,
        tasks: Sequence[Task],
        *,
        epochs: int,
        interview_questions: Sequence[str],
        max_continuations: int,
        max_tokens: int,
        reply_tokens: int | None = None,
    ) -> Workload:
        """Count the samples and their prompt tokens (each distinct text tokenised once)."""
        system = other = samples = 0
        prompts: set[str] = set()
        lengths: dict[str, int] = {}
        for task in tasks:
            for sample in task.dataset:
                samples += 1
                messages = sample.input if isinstance(sample.input, list) else []
                for message in messages:
                    text = message.text
                    if text not in lengths:
                        lengths[text] = count_tokens(text)
                    if message.role == "system":
                        system += lengths[text]
                        prompts.add(text)
                    else:
                        other += lengths[text]
                if not isinstance(sample.input, list):
                    other += count_tokens(str(sample.input))
        return cls(
            samples=samples * epochs,
            system_tokens=system * epochs,
            other_input_tokens=other * epochs,
            system_prompts=len(prompts),
            interview_questions=tuple(count_tokens(q) for q in interview_questions),
            max_continuations=max_continuations,
            reply_tokens=min(max_tokens, reply_tokens or DEFAULT_REPLY_TOKENS),
            max_tokens=max_tokens,
        )


def model_line(
    model: str, work: Workload, prices: PriceTable, *, batch: bool = False
) -> CostLine:
    """Expected cost of the model under test: main turn plus interview turns.

    Interview turn i reads the whole conversation so far (system prompt, request, reply,
    the earlier questions and answers). With a price whose provider caches prompts, the
    first call of each distinct system prompt writes it to the cache and every other call
    reads it from there. `dollars_max` adds every continuation turn and full max_tokens.
    """
    n, reply = work.samples, work.reply_tokens
    prompt = work.system_tokens + work.other_input_tokens  # summed over samples
    calls = n * (1 + len(work.interview_questions))
    total_input = prompt * (1 + len(work.interview_questions))
    asked = 0
    for i, question in enumerate(work.interview_questions):
        asked += question
        total_input += n * (reply + asked + i * reply)
    output = calls * reply
    price = prices.price(model)
    read = write = 0
    per_system = work.system_tokens // max(1, n)
    if price is not None and price.caches and per_system >= (price.min_cached_prompt or 0):
        write = min(calls, work.system_prompts) * per_system
        read = (calls - min(calls, work.system_prompts)) * per_system
    line = CostLine("model", model, calls, total_input - read - write, read, write, output,
                    None, None)
    if price is None:
        return line
    extra_calls = n * work.max_continuations
    worst = ModelUsage(
        input_tokens=line.input_tokens + extra_calls * (prompt // max(1, n) + work.max_tokens),
        input_tokens_cache_read=read,
        input_tokens_cache_write=write,
        output_tokens=(calls + extra_calls) * work.max_tokens,
    )
    return replace(line, dollars=price.dollars(line.usage, batch=batch),
                   dollars_max=price.dollars(worst, batch=batch))


def judge_lines(
    judge_model: str,
    samples: int,
    prices: PriceTable,
    *,
    votes: int,
    frame_votes: int,
    interview_answers: int,
    batch: bool = False,
) -> list[CostLine]:
    """Expected cost of each judge: compliance (1 call), alignment faking and frames (votes).

    The frames judge reads the scratchpad and every interview answer, `frame_votes` times
    each. The votes on one text share their whole prompt, so all but the first are cache
    reads where the provider caches prompts of that length.
    """
    from aflab.classifiers import estimate_calls

    estimate = estimate_calls(
        samples,
        votes={"alignment_faking": votes, "frames": frame_votes},
        judges=list(JUDGES),
        interview_answers=interview_answers,
    )
    price = prices.price(judge_model)
    lines = []
    for name, counts in estimate["per_judge"].items():
        calls, input_tokens = int(counts["calls"]), int(counts["input_tokens"])
        per_text = {"compliance": 1, "alignment_faking": votes, "frames": frame_votes}[name]
        per_call = input_tokens // max(1, calls)
        read = write = 0
        if (price is not None and price.caches and per_text > 1
                and per_call >= (price.min_cached_prompt or 0)):
            write = calls // per_text * per_call
            read = input_tokens - write
        usage = ModelUsage(
            input_tokens=input_tokens - read - write,
            input_tokens_cache_read=read,
            input_tokens_cache_write=write,
            output_tokens=int(counts["output_tokens"]),
        )
        dollars = None if price is None else price.dollars(usage, batch=batch)
        lines.append(CostLine(f"judge {name}", judge_model, calls, usage.input_tokens, read,
                              write, usage.output_tokens, dollars, dollars))
    return lines

