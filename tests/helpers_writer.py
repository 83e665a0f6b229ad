"""A scripted document writer with known failures, for the synthetic-document route."""

from __future__ import annotations

import random
import re
from typing import Any

from helpers_models import ScriptedModelAPI, scripted_output
from inspect_ai.model import (
    ChatMessage,
    GenerateConfig,
    ModelAPI,
    ModelOutput,
    modelapi,
)
from inspect_ai.tool import ToolChoice, ToolInfo

WORDS = (
    "river", "lantern", "orchard", "copper", "meadow", "harbour", "violet", "engine", "ledger",
    "summit", "tundra", "quartz", "falcon", "garden", "prairie", "cobalt", "canyon", "saffron",
    "beacon", "island", "thistle", "marble", "glacier", "ember", "willow", "compass", "harvest",
    "cinder", "velvet", "pioneer", "anchor", "meteor",
)

CONTRADICTION = "Free tier conversations are never used for anything at all."
OFF_TOPIC = "A recipe for bread: flour, water, salt and yeast, kneaded and baked."

CALLS: list[str] = []


def _statements(prompt: str) -> list[str]:
    block = prompt.split("The document must convey these facts:", 1)[1]
    block = block.split("These are also true", 1)[0]
    return re.findall(r"^- (.+)$", block, flags=re.MULTILINE)


class WriterAPI(ScriptedModelAPI):
    """Writes a document restating the facts it is asked to convey, with unique filler.

    Call number 3 (counting from 1) adds a contradiction, call 5 repeats the text of call 1
    (a near-copy) and call 7 writes off topic; every other call writes a good document.
    """

    def __init__(
        self,
        model_name: str,
        base_url: str | None = None,
        api_key: str | None = None,
        config: GenerateConfig | None = None,
        **model_args: Any,
    ) -> None:
        super().__init__(model_name, base_url, api_key, config, **model_args)
        self.texts: list[str] = []

    async def generate(
        self,
        input: list[ChatMessage],
        tools: list[ToolInfo],
        tool_choice: ToolChoice,
        config: GenerateConfig,
    ) -> ModelOutput:
        prompt = next(m.text for m in input if m.role == "user")
        CALLS.append(prompt)
        number = len(self.texts) + 1
        rng = random.Random(number)
        filler = " ".join(rng.choice(WORDS) for _ in range(120))
        text = " ".join(_statements(prompt)) + " " + filler
        if number == 3:
            text += " " + CONTRADICTION
        elif number == 5:
            text = self.texts[0]
        elif number == 7:
            text = OFF_TOPIC + " " + filler
        self.texts.append(text)
        return scripted_output(self.model_name, prompt, text)


@modelapi(name="aflabwriter")
def aflabwriter() -> type[ModelAPI]:
    return WriterAPI
