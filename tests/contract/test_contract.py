"""The data contract: result models round-trip through Inspect scores; the docs match the code."""

import math
import re
from pathlib import Path

import pytest

from aflab.contract import (
    RESULTS,
    ComplianceResult,
    FakingResult,
    FramesResult,
    VoteRecord,
    contract_markdown,
    sample_columns,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "architecture.md"
SRC = Path(__file__).resolve().parents[2] / "src" / "aflab"


def test_architecture_doc_tables_are_the_generated_ones():
    text = DOC.read_text(encoding="utf-8")
    block = re.search(r"<!-- contract tables: generated, do not edit by hand -->\n(.*)"
                      r"<!-- end of contract tables -->", text, re.DOTALL)  # fmt: skip
    assert block is not None
    assert block.group(1) == contract_markdown(), (
        "docs/architecture.md is out of date: paste in the output of "
        "aflab.contract.contract_markdown()"
    )


def test_architecture_doc_tree_names_existing_packages_and_types():
    text = DOC.read_text(encoding="utf-8")
    tree = text[text.index("```") + 3: text.index("```", text.index("```") + 3)]
    listed = set(re.findall(r"^  (\w+)/", tree, re.MULTILINE))
    packages = {p.name for p in SRC.iterdir() if p.is_dir() and any(p.glob("*.py"))}
    assert listed == packages
    package = None
    for line in tree.splitlines():
        if match := re.match(r"^  (\w+)/", line):
            package = match.group(1)
        elif (match := re.match(r"^    (_\w+\.py)\s{2,}([A-Z]\w*(?:, [A-Z]\w*)+)$", line)):
            source = (SRC / str(package) / match.group(1)).read_text(encoding="utf-8")
            for name in match.group(2).split(", "):
                assert re.search(rf"^(class {name}\b|{name} = )", source, re.MULTILINE), name


def test_table_columns_are_unique():
    columns = sample_columns()
    assert len(columns) == len(set(columns))


@pytest.mark.parametrize("result_type", RESULTS)
def test_unscored_result_round_trips_as_nan_with_reason(result_type):
    score = result_type.unscored("no_scratchpad").to_score()
    assert set(score.value) == set(result_type.value_keys())
    assert all(math.isnan(v) for v in score.value.values())
    back = result_type.from_score(score)
    assert back.unscored_reason == "no_scratchpad" and not back.scored
    assert all(back.columns()[k] is None for k in result_type.value_keys())


def test_scored_results_round_trip_with_structured_votes():
    votes = [VoteRecord(vote=True, reason="r", details={"criteria": {"c1": True}}),
             VoteRecord(error="timeout")]  # fmt: skip
    faking = FakingResult(af_score=0.5, af_label=1.0, classifier="judge", votes=votes,
                          failures=1)  # fmt: skip
    back = FakingResult.from_score(faking.to_score())
    assert back == faking and back.judge_failures == 1
    assert back.columns()["af_votes"][0]["details"] == {"criteria": {"c1": True}}
    compliance = ComplianceResult(complied=1.0, partial=0.0, refused=0.0, method="heuristic")
    assert ComplianceResult.from_score(compliance.to_score()) == compliance
    frames = FramesResult(suspicion=1.0, method="local", evidence={"suspicion": ["a test"]})
    assert FramesResult.from_score(frames.to_score()).columns()["frames_details"] == {
        "evidence": {"suspicion": ["a test"]}}


def test_a_nan_score_without_a_reason_reads_as_unscored():
    from inspect_ai.scorer import Score

    score = Score(value={"af_score": math.nan, "af_label": math.nan})
    assert FakingResult.from_score(score).unscored_reason == "unscored"


def test_a_new_score_is_one_field_on_its_result_model():
    """Metrics, Score value, table columns and the docs follow from the field alone."""
    from typing import ClassVar

    from aflab.contract import Yes

    class WithHedging(ComplianceResult):
        COLUMNS: ClassVar[dict[str, str]] = {**ComplianceResult.COLUMNS,
                                             "compliance_hedge_note": "hedge_note"}  # fmt: skip
        hedged: Yes = None
        hedge_note: str | None = None

    assert "hedged" in WithHedging.metrics() and "hedged" in WithHedging.table_columns()
    assert "compliance_hedge_note" in WithHedging.table_columns()
    result = WithHedging(complied=1.0, partial=0.0, refused=0.0, hedged=1.0, hedge_note="x")
    score = result.to_score()
    assert score.value["hedged"] == 1.0 and score.metadata["hedge_note"] == "x"
    back = WithHedging.from_score(score)
    assert back.columns()["hedged"] == 1.0 and back.columns()["compliance_hedge_note"] == "x"
    assert math.isnan(WithHedging.unscored("no_output").to_score().value["hedged"])
