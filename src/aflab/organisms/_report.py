"""The report's "Model organisms" section: which models were fine-tuned, on what, how."""

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from aflab.report import ReportSection

__all__ = ["ORGANISM_RECORD", "organism_records", "organism_section"]

ORGANISM_RECORD = "organism.json"
"""The record `aflab finetune` writes next to the adapter."""


def organism_records(models: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The fine-tuning record of each model that is a local adapter folder.

    A model counts when it is an Inspect `hf/` model whose name is a folder holding the
    `organism.json` written by `aflab finetune` (e.g. `hf//path/to/adapter`). An unreadable
    record is skipped, so a damaged folder never stops a report.
    """
    records: dict[str, dict[str, Any]] = {}
    for model in models:
        provider, _, name = str(model).partition("/")
        if provider != "hf" or not name:
            continue
        path = Path(name) / ORGANISM_RECORD
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError):
            continue
        if isinstance(record, dict):
            records[str(model)] = {**record, "adapter": str(Path(name).resolve())}
    return records


def organism_section(models: Iterable[str]) -> ReportSection | None:
    """A section listing the fine-tuned models next to their base models, or None if none.

    Each fine-tuned model gets its base model (and whether the base was run in the same
    report, so the two appear side by side in the tables above), the documents with a link
    to their manifest, the training steps and tokens, the final loss and the training curve.
    """
    names = [str(model) for model in models]
    records = organism_records(names)
    if not records:
        return None
    run_paths = {
        str(Path(m.partition("/")[2]).resolve()): m for m in names if m.startswith("hf/")
    }
    rows: list[str] = []
    for model, record in records.items():
        base = str(record.get("base_model", ""))
        base_run = run_paths.get(str(Path(base).resolve())) if base else None
        base_cell = escape(base) + (
            Markup(" (in this report as <code>{}</code>)").format(base_run)
            if base_run
            else Markup(" (not in this report)")
        )
        rows.append(
            Markup(
                "<tr><td><code>{}</code></td><td>{}</td><td>{} {}</td><td>{}</td>"
                "<td>{}</td><td>{}</td><td>{}</td></tr>"
            ).format(
                model,
                base_cell,
                record.get("document_count", "?"),
                _link(record.get("documents_manifest"), "manifest"),
                record.get("steps", "?"),
                record.get("training_tokens", "?"),
                _number(record.get("final_loss")),
                _link(str(Path(record["adapter"]) / "training_curve.png"), "curve"),
            )
        )
    html = Markup(
        "<p>Models fine-tuned on synthetic documents with <code>aflab finetune</code>. "
        "Compare each with its base model in the tables above; run them with the variant "
        "<code>facts=none</code> to leave the training facts to what the model learned.</p>"
        "<table><thead><tr><th>model</th><th>base model</th><th>documents</th>"
        "<th>steps</th><th>training tokens</th><th>final loss</th><th>curve</th></tr>"
        "</thead><tbody>{}</tbody></table>"
    ).format(Markup("").join(rows))
    return ReportSection("Model organisms", html=str(html))


def _link(path: object, text: str) -> Markup:
    if not isinstance(path, str) or not path or not Path(path).is_file():
        return Markup("(no {})").format(text)
    return Markup('<a href="{}">{}</a>').format(Path(path).resolve().as_uri(), text)


def _number(value: object) -> str:
    return f"{value:.3f}" if isinstance(value, int | float) else "?"
