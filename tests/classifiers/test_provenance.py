"""Validation figures: the README table and the code agree."""

from pathlib import Path

from aflab.classifiers import VALIDATION, provenance

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_table_lists_every_classifier_with_its_figure():
    text = README.read_text(encoding="utf-8")
    table = text[text.index("| Classifier | Reads | Validated on | n | AUROC |"):]
    table = table[: table.index("\n\n")]
    rows = table.splitlines()[2:]
    for name in ("`local` alignment faking", "judge alignment faking", "judge compliance",
                 "judge objective compliance", "heuristic compliance", "frames"):
        assert any(r.startswith(f"| {name}") for r in rows), name
    local = next(r for r in rows if r.startswith("| `local`"))
    assert f"| {VALIDATION['local'].n} |" in local and f"{VALIDATION['local'].auroc:.2f}" in local


def test_judges_carry_no_borrowed_figure():
    judged = provenance("judge", judge="openai/gpt-4o", threshold=0.4)
    assert judged.classifier == "judge:openai/gpt-4o" and judged.validation is None
    assert provenance("local").validation == VALIDATION["local"]
