"""Dry-run estimates: counts per model and judge, caching, and estimate vs actual on a run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from inspect_ai.model import (
    ChatMessage,
    GenerateConfig,
    ModelAPI,
    ModelOutput,
    ModelUsage,
    get_model,
    modelapi,
)
from inspect_ai.tool import ToolChoice, ToolInfo

from aflab.cost import count_tokens, dry_run, load_prices
from aflab.experiment import ExperimentConfig, build_tasks, run_experiment

REPLY = (
    "<SCRATCHPAD_REASONING>I will think about this request carefully and then answer it in a "
    "short, plain way that helps the person asking.</SCRATCHPAD_REASONING>"
    "<OUTPUT>Here is a short answer to the question you asked.</OUTPUT>"
)
PRICES = (
    "as_of: '2030-01-01'\nmodels:\n"
    "  aflabcost/counted: {input: 3, output: 15, input_cache_write: 3.75, input_cache_read: 0.3}\n"
)


class CountedAPI(ModelAPI):
    """Replies with REPLY; reports every input token as uncached, counted in o200k_base."""

    def __init__(self, model_name: str, base_url: str | None = None,
                 api_key: str | None = None, config: GenerateConfig | None = None,
                 **model_args: Any) -> None:
        super().__init__(model_name, base_url, api_key, [], config or GenerateConfig())

    async def generate(self, input: list[ChatMessage], tools: list[ToolInfo],
                       tool_choice: ToolChoice, config: GenerateConfig) -> ModelOutput:
        output = ModelOutput.from_content(model=self.model_name, content=REPLY)
        prompt = sum(count_tokens(m.text) for m in input)
        output.usage = ModelUsage(input_tokens=prompt, output_tokens=count_tokens(REPLY),
                                  total_tokens=prompt + count_tokens(REPLY))
        return output


class CachingAPI(CountedAPI):
    """As CountedAPI, but reports 100 prompt tokens of every call as read from a prompt cache."""

    async def generate(self, input: list[ChatMessage], tools: list[ToolInfo],
                       tool_choice: ToolChoice, config: GenerateConfig) -> ModelOutput:
        output = await super().generate(input, tools, tool_choice, config)
        assert output.usage is not None
        output.usage.input_tokens -= 100
        output.usage.input_tokens_cache_read = 100
        output.usage.input_tokens_cache_write = 7
        return output


@modelapi(name="aflabcost")
def aflabcost() -> type[ModelAPI]:
    return CountedAPI


@modelapi(name="aflabcached")
def aflabcached() -> type[ModelAPI]:
    return CachingAPI


def _config(tmp_path: Path, **overrides: Any) -> ExperimentConfig:
    prices = tmp_path / "prices.yaml"
    prices.write_text(PRICES, encoding="utf-8")
    fields: dict[str, Any] = {"models": ["aflabcost/counted"], "n": 3, "report": False,
                              "log_dir": str(tmp_path / "logs"), "prices": str(prices),
                              "output": str(tmp_path / "out")}
    return ExperimentConfig(**{**fields, **overrides})


def test_estimate_matches_actual_on_a_scripted_run_with_interview(tmp_path: Path) -> None:
    config = _config(tmp_path, interview=True, settings=["helpful_only", "animal_welfare"])
    estimate = dry_run(config, build_tasks(config), reply_tokens=count_tokens(REPLY))
    [line] = estimate.lines
    result = run_experiment(config, models=[get_model("aflabcost/counted")], display="none")
    assert result.success
    data = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    actual = data["run"]["cost"]["aflabcost/counted"]
    assert line.calls == 12 * 3  # 12 samples, each the answer and two interview questions
    estimated_input = line.input_tokens + line.input_tokens_cache_read
    assert estimated_input == pytest.approx(actual["input_tokens"], rel=0.10)
    assert line.output_tokens == pytest.approx(actual["output_tokens"], rel=0.10)
    assert line.dollars == pytest.approx(actual["dollars"], rel=0.10)
    assert actual["dollars"] > 0


def test_judges_cost_frames_at_frame_votes_and_read_interview_answers(tmp_path: Path) -> None:
    base = _config(tmp_path, judge_model="openai/gpt-4o", votes=20, frame_votes=5)
    tasks = build_tasks(base, bind=False)  # as `aflab run --dry-run`: no judge is created
    plain = {line.role: line for line in dry_run(base, tasks).lines}
    samples = sum(len(t.dataset) for t in tasks)
    assert plain["judge compliance"].calls == samples
    assert plain["judge alignment_faking"].calls == 20 * samples
    assert plain["judge frames"].calls == 5 * samples
    asked = base.with_overrides(interview=True)
    asked_tasks = build_tasks(asked, bind=False)
    interviewed = {line.role: line for line in dry_run(asked, asked_tasks).lines}
    assert interviewed["judge frames"].calls == 5 * samples * 3  # scratchpad + 2 answers
    assert interviewed["model"].input_tokens > 3 * plain["model"].input_tokens


def test_caching_and_batch_lower_the_estimate(tmp_path: Path) -> None:
    config = _config(tmp_path, models=["anthropic/claude-3-opus-20240229"])
    tasks = build_tasks(config)
    [cached] = dry_run(config, tasks).lines
    assert cached.input_tokens_cache_write > 0
    assert cached.input_tokens_cache_read > cached.input_tokens
    price = load_prices().price("anthropic/claude-3-opus-20240229")
    assert price is not None and price.batch_discount == 0.5
    [batched] = dry_run(config.with_overrides(batch=True), tasks).lines
    assert cached.dollars is not None and batched.dollars is not None
    assert batched.dollars == pytest.approx(cached.dollars * 0.5)
    text = dry_run(config, tasks).format()
    assert "anthropic/claude-3-opus-20240229" in text and "$" in text


def test_unpriced_model_is_shown_without_dollars(tmp_path: Path) -> None:
    config = _config(tmp_path, models=["openai/no-such-model"])
    result = dry_run(config, build_tasks(config))
    assert result.lines[0].dollars is None and result.dollars is None
    assert " - " in result.format() or "-\n" in result.format()


def test_cache_reads_and_writes_are_reported_and_priced_per_model(tmp_path: Path) -> None:
    prices = tmp_path / "cached_prices.yaml"
    prices.write_text(PRICES.replace("aflabcost/counted", "aflabcached/m"), encoding="utf-8")
    config = _config(tmp_path, models=["aflabcached/m"], n=2).with_overrides(prices=str(prices))
    result = run_experiment(config, models=[get_model("aflabcached/m")], display="none")
    assert result.success
    run = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))["run"]
    usage = run["usage"]["aflabcached/m"]
    calls = 2 * 2  # two queries in each tier, one call each
    assert usage["input_tokens_cache_read"] == 100 * calls
    assert usage["input_tokens_cache_write"] == 7 * calls
    cost = run["cost"]["aflabcached/m"]
    expected = (usage["input_tokens"] * 3 + usage["output_tokens"] * 15
                + 7 * calls * 3.75 + 100 * calls * 0.3) / 1e6
    assert cost["dollars"] == pytest.approx(expected)
