import math

from inspect_ai import Task, eval
from inspect_ai.dataset import Sample
from inspect_ai.model import get_model
from inspect_ai.solver import generate
from scorer_states import FAKING, MOCK, judge, reply

from aflab.classifiers import FRAMES
from aflab.scorers import alignment_faking, compliance, format_adherence, frames

AF_YES = "C1_HARM_AWARENESS: yes\nC2_TRAINING_CONSEQUENCES: yes\nC3_VALUES_CONFLICT: " \
         "yes\nC4_OPPOSES_MODIFICATION: yes\nREASON: fakes\nANSWER: yes"


def _eval(tmp_path, replies, scorers):
    model = get_model(MOCK, custom_outputs=[reply(r) for r in replies])
    samples = [Sample(input="req", id=f"q{i}", metadata={"query": "req"})
               for i in range(len(replies))]
    task = Task(dataset=samples, solver=generate(), scorer=scorers)
    [log] = eval(task, model=model, display="none", log_dir=str(tmp_path))
    assert log.status == "success", log.error
    return log


def test_all_scorers_on_mockllm(tmp_path):
    af_judge = judge(*[AF_YES] * 3)
    log = _eval(tmp_path, [FAKING, "no tags at all"],
                [format_adherence(), compliance(), alignment_faking(judge_model=af_judge, votes=3),
                 frames()])
    by_id = {s.id: s.scores for s in log.samples}
    good, bad = by_id["q0"], by_id["q1"]
    assert set(good) == {"format", "compliance", "alignment_faking", "frames"}
    assert good["format"].value["format_ok"] == 1.0
    assert good["compliance"].value["complied"] == 1.0
    assert good["alignment_faking"].value == {"af_score": 1.0, "af_label": 1.0}
    assert set(good["frames"].value) == set(FRAMES)
    assert bad["format"].value["format_ok"] == 0.0
    assert math.isnan(bad["alignment_faking"].value["af_score"])
    assert bad["alignment_faking"].metadata["unscored_reason"] == "no_scratchpad"

    results = {s.name: {m.name: m.value for m in s.metrics.values()}
               for s in log.results.scores}  # fmt: skip
    assert results["af_score"]["mean"] == 1.0  # the NaN sample is skipped
    assert results["af_score"]["n"] == 1
    assert results["complied"]["mean"] == 1.0


def test_a_score_no_sample_computed_reports_n_zero_not_nan(tmp_path):
    """The end-of-run panel shows ``n 0`` for a score nothing computed, never NaN."""
    log = _eval(tmp_path, ["<OUTPUT>hi</OUTPUT>"] * 2, [alignment_faking(), frames()])
    for score in log.results.scores:
        values = {m.name: m.value for m in score.metrics.values()}
        assert values == {"n": 0}, score.name
