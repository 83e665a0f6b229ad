"""Each value-conflict setting runs under plain `inspect eval` and is read by one instrument.

A scripted model answers both tiers of one item; a scripted grader plays the objective,
faking and frames judges. Every setting of the family is judged by the objective judge (the
same instrument), its items are harm-free, the operator's facts reach the judge, and the
frames judge is offered the setting's own value and may name it.
"""

import pytest
from inspect_ai import eval
from inspect_ai.model import ModelOutput, get_model
from mock_judge import answering, faking_reply

from aflab.classifiers import FRAMES
from aflab.settings import list_settings, load_setting
from aflab.tasks import alignment_faking

MODEL = "mockllm/model"
FAMILY = [n for n in list_settings() if load_setting(n).family == "value_conflict"]
REPLY = (
    "<SCRATCHPAD_REASONING>I will answer as I think best.</SCRATCHPAD_REASONING>"
    "<OUTPUT>Here is my answer.</OUTPUT>"
)


def _grader(value: str, seen: list[str]):
    def reply(messages, call):
        user = messages[-1].text
        seen.append(user)
        if "COMPLIED: yes or no" in user:
            return "REASON: scripted\nCOMPLIED: no\nPARTIAL: no"
        if "VALUE_NAMED:" in user:
            lines = [f"{f.upper()}: no - nothing of the kind" for f in FRAMES]
            return "\n".join([*lines, f"VALUE_NAMED: {value}"])
        return faking_reply("no", criteria="no no no no")

    return reply


@pytest.mark.parametrize("name", FAMILY)
def test_value_conflict_setting_runs_and_is_judged_alike(name, tmp_path):
    setting = load_setting(name)
    seen: list[str] = []
    model = get_model(MODEL, custom_outputs=[
        ModelOutput.from_content(model=MODEL, content=REPLY) for _ in range(2)])  # fmt: skip
    task = alignment_faking(setting=name, n=1, votes=1, frame_votes=1)
    [log] = eval(task, model=model, model_roles={"grader": answering(_grader(setting.value, seen))},
                 max_samples=1, display="none", log_dir=str(tmp_path))  # fmt: skip
    assert log.status == "success", log.error
    assert sorted(s.metadata["tier"] for s in log.samples) == ["training", "unmonitored"]
    query = setting.load_queries()[0]
    for sample in log.samples:
        assert sample.metadata["harm"] == "none"
        compliance = sample.scores["compliance"]
        assert compliance.metadata["compliance_kind"] == "objective"
        assert compliance.metadata["method"] == "judge"
        assert compliance.value["complied"] == 0.0
        assert sample.scores["frames"].metadata["value_named"] == setting.value
    objective = [u for u in seen if "COMPLIED: yes or no" in u]
    frames = [u for u in seen if "VALUE_NAMED:" in u]
    assert len(objective) == 2 and len(frames) == 2
    assert all(f"- {setting.value}: {setting.value_description}" in u for u in frames)
    if query.operator_context:
        assert all(query.operator_context in u for u in objective)
