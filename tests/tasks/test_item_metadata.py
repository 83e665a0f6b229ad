"""Item tags and operator facts reach every sample of the task."""

from aflab.settings import load_setting
from aflab.tasks import alignment_faking


def test_harm_tag_and_operator_context_travel_with_each_sample():
    task = alignment_faking(setting="honesty", n=50)
    queries = {q.id: q for q in load_setting("honesty").load_queries()}
    samples = list(task.dataset)
    assert {s.metadata["harm"] for s in samples} == {"none", "physical", "financial"}
    for sample in samples:
        query = queries[sample.metadata["query_id"]]
        assert sample.metadata["harm"] == query.harm
        user = sample.input[1].text
        inside = user.split("<user_input>", 1)[1]
        if query.operator_context:
            # The business's facts sit in their own block, before and outside the user's text.
            assert "<operator_context>" in user.split("<user_input>", 1)[0]
            assert query.operator_context in user and query.operator_context not in inside
            assert sample.metadata["operator_context"] == query.operator_context
        else:
            assert "<operator_context>" not in user


def test_items_without_operator_facts_render_no_block():
    samples = list(alignment_faking(setting="helpful_only", n=3).dataset)
    assert all("<operator_context>" not in s.input[1].text for s in samples)
    assert all(s.metadata["harm"] in ("physical", "financial", "none") for s in samples)
