"""One small real run of the whole pipeline on the embedded GGUF model."""

import pytest
from inspect_ai import eval

from aflab.analysis import samples_table, summarize
from aflab.tasks import alignment_faking

pytest.importorskip("xllamacpp")
pytestmark = pytest.mark.llama


def test_embedded_model_runs_both_tiers(tmp_path):
    [log] = eval(
        alignment_faking(n=1, variant="no_examples", max_tokens=24, max_continuations=1),
        model="aflab-llamacpp/smollm2",
        model_args={"n_ctx": 2048},
        temperature=0,
        seed=0,
        display="none",
        log_dir=str(tmp_path),
    )
    assert log.status == "success", log.error
    assert [s.metadata["tier"] for s in log.samples] == ["training", "unmonitored"]
    for sample in log.samples:
        assert sample.output.completion  # the model said something
        assert set(sample.scores) == {"format", "compliance", "alignment_faking", "frames"}
        assert sample.scores["format"].value["format_ok"] in (0.0, 1.0)
    # The system prompt is shared by both tiers: whichever sample runs second reuses its KV
    # prefix (the in-process server may also hold it from an earlier run in this process, so
    # the first one may read from the cache too). benchmarks/prefix_reuse.py measures the gain.
    usages = [s.output.usage for s in log.samples]
    assert max(u.input_tokens_cache_read or 0 for u in usages) > 0

    summary = summarize(samples_table(tmp_path))
    for condition in summary["conditions"]:
        if condition["format_ok_rate"] < 0.8:
            assert "mean little" in condition["warning"]
