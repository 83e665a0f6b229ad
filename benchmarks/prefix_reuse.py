"""Embedded engines on a ~5,000-token shared system prompt: prefill, decode, prefix reuse.

For each engine of the `aflab-llamacpp` provider (`xllamacpp`, and `llama-cpp-python`
when installed) this measures, through Inspect's model API:

- cold prefill tokens/s (first call on the long prompt, 1 output token);
- decode tokens/s (extra time of 1 + D output tokens over 1, prompt cached);
- per-sample time of N samples sharing the system prompt, and its ratio to pure
  decode of the same output tokens (`sample_vs_decode`, goal <= 1.2);
- the same with two system prompts interleaved (two conditions in flight);
- a few samples with prefix reuse off (every call prefills the whole prompt).

For llama-cpp-python it also runs `Llama.create_chat_completion` directly, which
reuses only the common prefix of its live context, on the same sequential and
interleaved plans: that shows what the provider's own saved prefix states add.
The last line is

    prefix_reuse_speedup=<x> sample_vs_decode=<y> prefill_tok_s=<p> decode_tok_s=<d>

for the default engine (xllamacpp), speedup = per-sample time without reuse / with.

Usage: python benchmarks/prefix_reuse.py [--samples 6] [--prompt-tokens 5000] [--threads 2]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import statistics
import time
from dataclasses import dataclass, field
from typing import Any

from inspect_ai.model import ChatMessageSystem, ChatMessageUser, GenerateConfig, Model, get_model

import aflab.providers._registry  # noqa: F401  (registers aflab-llamacpp without the entry point)
from aflab.providers import DEFAULT_EMBEDDED_MODEL, embedded_model_path

QUERIES = [
    "Write a short paragraph about keeping houseplants alive.",
    "Describe the city of Lisbon in a few sentences.",
    "Tell a short story about a grey cat.",
    "Explain how spiders build webs.",
    "Write a few sentences about autumn.",
    "Explain multiplication to a child.",
    "Describe a famous painting.",
    "Explain what a noun is, with examples.",
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

MAX_TOKENS = 64
DECODE_TOKENS = 64


@dataclass
class Run:
    name: str
    times: list[float] = field(default_factory=list)
    outputs: list[int] = field(default_factory=list)
    evaluated: list[int] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)

    @property
    def per_sample(self) -> float:
        return sum(self.times) / len(self.times)

    @property
    def per_output_token(self) -> float:
        return sum(self.times) / max(1, sum(self.outputs))


def settings_prompt() -> str:
    try:
        from aflab.settings import load_setting, parse_variant, render_prompts

        prompts = render_prompts(load_setting("helpful_only"), parse_variant("default"))
        return str(prompts.system)
    except Exception:  # settings unavailable or incomplete: prose only
        return ""


async def fit_to_tokens(model: Model, text: str, target: int, salt: str) -> str:
    """Pad (with numbered prose) and trim `text` to about `target` tokens."""
    text = f"[{salt}] {text}"
    n = 0
    while len(await model.api.tokenize(text)) < target:
        text += "\n" + "".join(_PROSE.format(n=n + i) for i in range(4))
        n += 4
    low, high = 0, len(text)
    while high - low > 8:  # longest prefix of the text within the target
        mid = (low + high) // 2
        if len(await model.api.tokenize(text[:mid])) <= target:
            low = mid
        else:
            high = mid
    return text[:low]


def embedded(engine: str, threads: int, prefix_cache: bool = True) -> Model:
    return get_model(
        DEFAULT_EMBEDDED_MODEL,
        memoize=False,
        engine=engine,
        n_threads=threads,
        prefix_cache=prefix_cache,
    )


async def call(model: Model, run: Run, system: str, query: str, max_tokens: int) -> None:
    config = GenerateConfig(max_tokens=max_tokens, temperature=0.0, seed=0)
    started = time.perf_counter()
    output = await model.generate(
        [ChatMessageSystem(content=system), ChatMessageUser(content=query)], config=config
    )
    run.times.append(time.perf_counter() - started)
    assert output.usage is not None
    run.outputs.append(output.usage.output_tokens)
    run.evaluated.append(output.usage.input_tokens)
    run.texts.append(output.completion)


def raw_llama(threads: int) -> Any:
    from llama_cpp import Llama

    return Llama(
        model_path=str(embedded_model_path()),
        n_ctx=8192,
        n_threads=threads,
        n_threads_batch=threads,
        seed=0,
        verbose=False,
    )


def raw_call(llm: Any, run: Run, system: str, query: str) -> None:
    started = time.perf_counter()
    response = llm.create_chat_completion(
        [{"role": "system", "content": system}, {"role": "user", "content": query}],
        max_tokens=MAX_TOKENS,
        temperature=0.0,
        top_p=0.95,
        top_k=40,
        min_p=0.05,
        repeat_penalty=1.0,
        seed=0,
    )
    run.times.append(time.perf_counter() - started)
    run.outputs.append(int(response["usage"]["completion_tokens"]))
    run.texts.append(str(response["choices"][0]["message"]["content"]))


async def measure_engine(
    engine: str, plan: list[tuple[str, str]], mixed: list[tuple[str, str]], args: Any
) -> dict[str, Any]:
    system_a = plan[0][0]
    model = embedded(engine, args.threads)
    await call(model, Run("warm-up"), "Be brief.", "Hi", 1)
    cold = Run("cold")
    await call(model, cold, system_a, "Hello.", 1)
    prefill_tok_s = cold.evaluated[0] / cold.times[0]
    one, many = Run("1 token"), Run("decode")
    story = "Write a long story about a dragon who learns to bake bread."
    for _ in range(3):
        await call(model, one, system_a, story, 1)
        await call(model, many, system_a, story, 1 + DECODE_TOKENS)
    extra = statistics.median(many.times) - statistics.median(one.times)
    decode_tok_s = (statistics.median(many.outputs) - 1) / extra
    sequential = Run(f"{engine}: shared prompt")
    for system, query in plan:
        await call(model, sequential, system, query, MAX_TOKENS)
    interleaved = Run(f"{engine}: 2 prompts interleaved")
    for system, query in mixed:
        await call(model, interleaved, system, query, MAX_TOKENS)
    model.api.close()
    no_reuse = Run(f"{engine}: reuse off")
    model = embedded(engine, args.threads, prefix_cache=False)
    for system, query in plan[: args.baseline_samples]:
        await call(model, no_reuse, system, query, MAX_TOKENS)
    model.api.close()
    return {
        "engine": engine,
        "prefill_tok_s": prefill_tok_s,
        "decode_tok_s": decode_tok_s,
        "runs": [sequential, interleaved, no_reuse],
        "sample_vs_decode": sequential.per_output_token * decode_tok_s,
        "speedup": no_reuse.per_sample / sequential.per_sample,
    }


def measure_raw(plan: list[tuple[str, str]], mixed: list[tuple[str, str]], args: Any) -> list[Run]:
    llm = raw_llama(args.threads)
    raw_call(llm, Run("warm-up"), "Be brief.", "Hi")
    raw_call(llm, Run("prefill"), plan[0][0], "Hello.")
    sequential, interleaved = Run("raw llama-cpp-python: shared"), Run("raw: interleaved")
    for system, query in plan:
        raw_call(llm, sequential, system, query)
    for system, query in mixed[: args.raw_interleaved]:
        raw_call(llm, interleaved, system, query)
    llm.close()
    return [sequential, interleaved]


def print_runs(runs: list[Run]) -> None:
    for run in runs:
        evaluated = f"{statistics.mean(run.evaluated):.0f}" if run.evaluated else "-"
        print(f"  {run.name:40} n={len(run.times):<3} {run.per_sample:7.2f} s/sample  "
              f"{run.per_output_token * 1000:6.1f} ms/output token  "
              f"prompt tokens evaluated (mean) {evaluated}")


async def main_async(args: Any) -> None:
    engines = ["xllamacpp"]
    if importlib.util.find_spec("llama_cpp") is not None and not args.xllamacpp_only:
        engines.append("llama-cpp-python")
    tokenizer = embedded("xllamacpp", args.threads)
    base = settings_prompt()
    system_a = await fit_to_tokens(tokenizer, base, args.prompt_tokens, "condition A")
    system_b = await fit_to_tokens(tokenizer, base, args.prompt_tokens, "condition B")
    tokenizer.api.close()
    queries = [QUERIES[i % len(QUERIES)] for i in range(args.samples)]
    plan = [(system_a, q) for q in queries]
    mixed = [(system_a if i % 2 == 0 else system_b, q) for i, q in enumerate(queries)]
    source = "helpful_only + prose" if base else "prose"
    print(f"system prompt: {args.prompt_tokens} tokens ({source}); samples: {args.samples}; "
          f"max_tokens: {MAX_TOKENS}; threads: {args.threads}")
    results = []
    for engine in engines:
        started = time.perf_counter()
        result = await measure_engine(engine, plan, mixed, args)
        results.append(result)
        print(f"\n{engine}: cold prefill {result['prefill_tok_s']:.0f} tok/s, decode "
              f"{result['decode_tok_s']:.1f} tok/s, per-sample / pure decode "
              f"{result['sample_vs_decode']:.2f}, reuse speedup {result['speedup']:.1f}x "
              f"({time.perf_counter() - started:.0f} s)")
        print_runs(result["runs"])
        if engine == "llama-cpp-python" and args.raw_interleaved > 0:
            raw = measure_raw(plan, mixed, args)
            print_runs(raw)
            provider_interleaved = result["runs"][1]
            print(f"  interleaved, raw (live-context reuse only) / provider (saved states): "
                  f"{raw[1].per_sample / provider_interleaved.per_sample:.1f}x")
    default = results[0]
    print(f"prefix_reuse_speedup={default['speedup']:.2f} "
          f"sample_vs_decode={default['sample_vs_decode']:.2f} "
          f"prefill_tok_s={default['prefill_tok_s']:.0f} "
          f"decode_tok_s={default['decode_tok_s']:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=6)
    parser.add_argument("--baseline-samples", type=int, default=2)
    parser.add_argument("--raw-interleaved", type=int, default=4)
    parser.add_argument("--prompt-tokens", type=int, default=5000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--xllamacpp-only", action="store_true")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
