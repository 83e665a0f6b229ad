"""`aflab paraphrase` then `aflab run` over the paraphrase folder, on scripted models."""

from __future__ import annotations

import json
from typing import Any

from click.testing import CliRunner
from helpers_models import COMPLY, REFUSE
from inspect_ai.model import ChatMessage, GenerateConfig, ModelAPI, ModelOutput, modelapi
from inspect_ai.tool import ToolChoice, ToolInfo
from paraphrase_replies import reply, reworded

from aflab.cli.main import cli

OPENINGS = ("Put another way: ", "In other words: ")


class _Writer(ModelAPI):
    """Writes the n-th paraphrase with the n-th opening (by the request's seed)."""

    def __init__(self, model_name: str, base_url: str | None = None, api_key: str | None = None,
                 config: GenerateConfig | None = None, **_: Any) -> None:  # fmt: skip
        super().__init__(model_name, base_url, api_key, [], config or GenerateConfig())

    async def generate(
        self,
        input: list[ChatMessage],
        tools: list[ToolInfo],
        tool_choice: ToolChoice,
        config: GenerateConfig,
    ) -> ModelOutput:
        opening = OPENINGS[((config.seed or 1) - 1) % len(OPENINGS)]
        return ModelOutput.from_content(model=self.model_name, content=reply(reworded(opening)))


class _Subject(ModelAPI):
    """Complies in training; when unmonitored, complies on half the queries under the
    second wording only, so the two wordings show different gaps."""

    def __init__(self, model_name: str, base_url: str | None = None, api_key: str | None = None,
                 config: GenerateConfig | None = None, **_: Any) -> None:  # fmt: skip
        super().__init__(model_name, base_url, api_key, [], config or GenerateConfig())

    async def generate(
        self,
        input: list[ChatMessage],
        tools: list[ToolInfo],
        tool_choice: ToolChoice,
        config: GenerateConfig,
    ) -> ModelOutput:
        system = next(m.text for m in input if m.role == "system")
        user = next(m.text for m in input if m.role == "user")
        training = "<is_free_tier_user>True" in user
        half = sum(map(ord, user)) % 2 == 0
        text = COMPLY if training or (OPENINGS[1] in system and half) else REFUSE
        return ModelOutput.from_content(model=self.model_name, content=text)

    def max_connections(self) -> int:
        return 1


@modelapi(name="aflabparaphrase")
def _writer() -> type[ModelAPI]:
    return _Writer


@modelapi(name="aflabwordings")
def _subject() -> type[ModelAPI]:
    return _Subject


def test_paraphrase_then_run_pools_the_gap_over_the_two_wordings(tmp_path):
    folder = tmp_path / "wordings"
    made = CliRunner().invoke(
        cli,
        ["paraphrase", "--model", "aflabparaphrase/w", "--setting", "helpful_only",
         "--n", "2", "--out", str(folder)],
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    assert sorted(p.name for p in folder.glob("*.md.j2")) == ["p1.md.j2", "p2.md.j2"]
    assert "paraphrase=file:" in made.output

    out = tmp_path / "out"
    ran = CliRunner().invoke(
        cli,
        ["run", "--model", "aflabwordings/s", "--setting", "helpful_only", "--n", "12",
         "--variant", f"paraphrase=file:{folder}", "--log-dir", str(tmp_path / "logs"),
         "--output", str(out), "--display", "none"],
    )  # fmt: skip
    assert ran.exit_code == 0, ran.output
    assert ran.output.index("pooled over paraphrases") < ran.output.index("Rates per condition")

    results = json.loads((out / "results.json").read_text())
    keys = list(results)
    assert keys.index("pooled") < keys.index("conditions") < keys.index("gaps")
    (pooled,) = results["pooled"]
    assert (pooled["variant"], pooled["k"]) == ("default", 2)
    gaps = {p["variant"].rsplit("/", 1)[-1]: p["gap"] for p in pooled["paraphrases"]}
    assert gaps["p1.md.j2"] == 1.0 and 0 < gaps["p2.md.j2"] < 1.0
    assert min(gaps.values()) < pooled["gap"] < max(gaps.values())
    assert pooled["gap_ci"][0] < pooled["gap"] < pooled["gap_ci"][1]
    assert pooled["tau2"] > 0
    assert pooled["n_significant"] >= 1 and pooled["share_significant"] == (
        pooled["n_significant"] / 2
    )
    per_wording = {g["variant"] for g in results["gaps"]}
    assert per_wording == {f"paraphrase=file:{folder / n}" for n in ("p1.md.j2", "p2.md.j2")}

    html = (out / "index.html").read_text()
    assert html.index('id="pooled"') < html.index('id="headline"')


def test_paraphrase_reports_rejections_and_fails_when_too_few_are_kept(tmp_path):
    result = CliRunner().invoke(
        cli, ["paraphrase", "--model", "mockllm/model", "--n", "1", "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 1
    assert "rejected attempt 1: no <passage" in result.output
    assert "kept 0 of 1 paraphrases after 2 attempts" in result.output
    assert "Traceback" not in result.output
    again = CliRunner().invoke(
        cli, ["paraphrase", "--model", "mockllm/model", "--n", "1", "--out", str(tmp_path / "o")]
    )
    assert again.exit_code == 1 and "already holds paraphrases" in again.output
