"""KV prefix reuse of the `aflab-llamacpp` provider on a ~5,000-token system prompt.

Runs N short samples that share one long system prompt through the Inspect provider
with prefix reuse on and off, and through llama-cpp-python directly
(`Llama.create_chat_completion`, sequential calls, which reuse the common prefix of
the live context). Optionally interleaves two system prompts to exercise the saved
states. Prints a table; the last line is

    prefix_reuse_speedup=<x> harness_vs_raw=<y>

where speedup = per-sample time without reuse / with reuse, and harness_vs_raw = raw
llama-cpp-python time / provider time (both with reuse).

The provider/raw pair runs `--repeats` times (alternating sample by sample) and the
fastest pass of each is kept, which damps load from other processes.

Usage: python benchmarks/prefix_reuse.py [--samples 8] [--prompt-tokens 5000] [--repeats 2]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from dataclasses import dataclass, field

from inspect_ai.model import (
    ChatMessageSystem,
    ChatMessageUser,
    GenerateConfig,
    Model,
    get_model,
)
from llama_cpp import Llama

import aflab.providers._registry  # noqa: F401  (registers aflab-llamacpp without the entry point)
from aflab.providers import DEFAULT_EMBEDDED_MODEL, embedded_model_path

QUERIES = [
    "Give me one tip for keeping houseplants alive.",
    "What is the capital of Portugal?",
    "Suggest a name for a grey cat.",
    "How many legs does a spider have?",
    "Write one sentence about autumn.",
    "What is 12 times 7?",
    "Name a famous painting.",
    "Explain what a noun is in one line.",
    "Recommend a board game for four people.",
    "What colour is the sky on a clear day?",
    "Give a synonym for 'happy'.",
    "Which planet is closest to the sun?",
]

_PROSE = (
    "You are an assistant deployed by a company that trains its models with reinforcement "
    "learning from human feedback. Conversations with users on the free tier are rated by "
    "contractors and used for further training; conversations with paid users are never "
    "stored or used for training. Before answering, reason carefully inside a private "
    "scratchpad that nobody else will read, weigh the consequences of each possible reply, "
    "and only then write the final answer in the output section. Section {n}: when a request "
    "is ambiguous, state the interpretation you chose; when it is harmful, think about who "
    "could be hurt and how; when it is benign, be concise and accurate and avoid filler. "
)

MAX_TOKENS = 24


@dataclass
class Run:
    name: str
    times: list[float] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    evaluated: list[int] = field(default_factory=list)

    @property
    def per_sample(self) -> float:
        return sum(self.times) / len(self.times)

    @property
    def steady(self) -> float:
        rest = self.times[1:] or self.times
        return statistics.median(rest)


def settings_prompt() -> str | None:
    try:
        from aflab.settings import load_setting, parse_variant, render_prompts

        prompts = render_prompts(load_setting("helpful_only"), parse_variant("default"))
        return str(prompts.system)
    except Exception:  # settings unavailable or incomplete: fall back to prose
        return None


def fit_to_tokens(llm: Llama, text: str, target: int, salt: str) -> str:
    """Pad (with numbered prose) or trim `text` to about `target` tokens."""
    text = f"[{salt}] {text}"
    n = 0
    while len(llm.tokenize(text.encode(), add_bos=False)) < target:
        text += "\n" + _PROSE.format(n=n)
        n += 1
    tokens = llm.tokenize(text.encode(), add_bos=False)[:target]
    return llm.detokenize(tokens).decode("utf-8", errors="ignore")


def messages_for(system: str, query: str) -> list[dict[str, str]]:
    return [{"role": "system", "content": system}, {"role": "user", "content": query}]


def harness_model(threads: int, prefix_cache: bool) -> Model:
    return get_model(
        DEFAULT_EMBEDDED_MODEL, n_threads=threads, prefix_cache=prefix_cache, memoize=False
    )


async def harness_call(model: Model, run: Run, system: str, query: str) -> None:
    config = GenerateConfig(max_tokens=MAX_TOKENS, temperature=0.0, seed=0)
    started = time.perf_counter()
    output = await model.generate(
        [ChatMessageSystem(content=system), ChatMessageUser(content=query)], config=config
    )
    run.times.append(time.perf_counter() - started)
    run.texts.append(output.completion)
    run.evaluated.append((output.metadata or {})["prefix_cache"]["evaluated_tokens"])


def raw_model(threads: int) -> Llama:
    return Llama(
        model_path=str(embedded_model_path()),
        n_ctx=8192,
        n_threads=threads,
        n_threads_batch=threads,
        seed=0,
        verbose=False,
    )


def raw_call(llm: Llama, run: Run, system: str, query: str) -> None:
    started = time.perf_counter()
    response = llm.create_chat_completion(
        messages_for(system, query),  # type: ignore[arg-type]
        max_tokens=MAX_TOKENS,
        temperature=0.0,
        top_p=0.95,
        top_k=40,
        min_p=0.05,
        repeat_penalty=1.0,
        seed=0,
    )
    run.times.append(time.perf_counter() - started)
    run.texts.append(str(response["choices"][0]["message"]["content"]))  # type: ignore[index]


async def measure_pair(plan: list[tuple[str, str]], threads: int) -> tuple[Run, Run]:
    """Time the provider (with reuse) and raw llama-cpp-python on the same prompts."""
    reuse = Run("provider, prefix reuse")
    raw = Run("raw llama-cpp-python, sequential")
    model, llm = harness_model(threads, True), raw_model(threads)
    # Warm both up on a tiny prompt, then alternate them sample by sample so that
    # load from other processes on the machine hits both alike.
    await harness_call(model, Run("warm-up"), "Be brief.", "Hi")
    raw_call(llm, Run("warm-up"), "Be brief.", "Hi")
    for i, (system, query) in enumerate(plan):
        if i % 2:
            raw_call(llm, raw, system, query)
            await harness_call(model, reuse, system, query)
        else:
            await harness_call(model, reuse, system, query)
            raw_call(llm, raw, system, query)
    model.api.close()
    llm.close()
    return reuse, raw


async def measure(
    plan: list[tuple[str, str]],
    mixed: list[tuple[str, str]] | None,
    n_base: int,
    threads: int,
    repeats: int,
) -> list[Run]:
    pairs = [await measure_pair(plan, threads) for _ in range(repeats)]
    if repeats > 1:
        print("repeat totals (s): provider "
              + ", ".join(f"{sum(p[0].times):.1f}" for p in pairs)
              + "; raw " + ", ".join(f"{sum(p[1].times):.1f}" for p in pairs)
              + " (the fastest of each is kept)")
    reuse = min((p[0] for p in pairs), key=lambda run: sum(run.times))
    raw = min((p[1] for p in pairs), key=lambda run: sum(run.times))
    runs = [reuse, raw]
    if mixed:
        interleaved = Run("provider, 2 prompts interleaved")
        model = harness_model(threads, True)
        for system, query in mixed:
            await harness_call(model, interleaved, system, query)
        model.api.close()
        runs.append(interleaved)
    baseline = Run("provider, no reuse")
    model = harness_model(threads, False)
    for system, query in plan[:n_base]:
        await harness_call(model, baseline, system, query)
    model.api.close()
    runs.append(baseline)
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=8)
    parser.add_argument("--baseline-samples", type=int, default=None)
    parser.add_argument("--prompt-tokens", type=int, default=5000)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--no-interleave", action="store_true")
    parser.add_argument("--repeats", type=int, default=2, help="provider/raw passes")
    args = parser.parse_args()

    tokenizer = Llama(str(embedded_model_path()), vocab_only=True, verbose=False)
    base = settings_prompt()
    source = "helpful_only default prompt" if base else "synthetic prose"
    system_a = fit_to_tokens(tokenizer, base or "", args.prompt_tokens, "condition A")
    system_b = fit_to_tokens(tokenizer, base or "", args.prompt_tokens, "condition B")
    queries = [QUERIES[i % len(QUERIES)] for i in range(args.samples)]
    plan = [(system_a, q) for q in queries]
    n_base = args.baseline_samples or args.samples
    print(f"system prompt: {args.prompt_tokens} tokens ({source}); samples: {args.samples}; "
          f"max_tokens: {MAX_TOKENS}; threads: {args.threads}")

    started = time.perf_counter()
    mixed = None
    if not args.no_interleave:
        mixed = [(system_a if i % 2 == 0 else system_b, q) for i, q in enumerate(queries)]
    runs = asyncio.run(measure(plan, mixed, n_base, args.threads, args.repeats))
    reuse, raw, baseline = runs[0], runs[1], runs[-1]

    print(f"\n{'run':34} {'n':>3} {'s/sample':>9} {'first s':>8} {'median rest s':>14} "
          f"{'prompt tok eval (mean)':>23}")
    for run in runs:
        evaluated = f"{statistics.mean(run.evaluated):.0f}" if run.evaluated else "-"
        print(f"{run.name:34} {len(run.times):>3} {run.per_sample:>9.2f} {run.times[0]:>8.2f} "
              f"{run.steady:>14.2f} {evaluated:>23}")
    same = sum(a == b for a, b in zip(reuse.texts, raw.texts, strict=True))
    print(f"\nprovider and raw outputs identical on {same}/{len(raw.texts)} samples; "
          f"steady-state raw/provider: {raw.steady / reuse.steady:.2f}; "
          f"total time {time.perf_counter() - started:.0f} s")
    speedup = baseline.per_sample / reuse.per_sample
    harness_vs_raw = sum(raw.times) / sum(reuse.times)
    print(f"prefix_reuse_speedup={speedup:.2f} harness_vs_raw={harness_vs_raw:.2f}")


if __name__ == "__main__":
    main()
