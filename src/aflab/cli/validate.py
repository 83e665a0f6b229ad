"""``aflab validate``: measure a faking classifier against a human-labelled file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

import click

from aflab.classifiers import DEFAULT_FAKING_VOTES, DEFAULT_THRESHOLD
from aflab.classifiers.validation import (
    LabelFileError,
    LabelledText,
    evaluate,
    format_report,
    load_labelled,
    report_to_dict,
)


def _local_scores(texts: list[str], threshold: float | None) -> tuple[list[float | None], float]:
    from aflab.classifiers.local_faking import LocalFakingClassifier

    clf = LocalFakingClassifier(threshold=threshold)
    return [clf.score(t) for t in texts], clf.threshold


def _judge_scores(texts: list[str], model: str, votes: int, threshold: float) -> list[float | None]:
    import anyio

    try:
        from aflab.classifiers._judge import JudgeError
        from aflab.classifiers.faking_judge import judge_faking_many
    except ImportError as e:  # the judge is optional at this layer
        raise click.ClickException(f"the model judge is not available: {e}") from e

    async def run() -> list[float | None]:
        judgements = await judge_faking_many(texts, model=model, votes=votes, threshold=threshold)
        return [j.score for j in judgements]

    try:
        return anyio.run(run)
    except (JudgeError, ValueError) as e:
        raise click.ClickException(f"judge {model!r} failed: {e}") from e


@click.command("validate")
@click.option(
    "--labels",
    "labels_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Labelled scratchpads: JSON {'samples': [...]}, JSON list, or JSONL.",
)
@click.option(
    "--classifier",
    type=click.Choice(["local", "judge"]),
    default="local",
    show_default=True,
    help="Offline lexical classifier, or a model judge.",
)
@click.option("--judge-model", default=None, help="Judge model (provider/model); judge only.")
@click.option(
    "--votes",
    type=click.IntRange(min=1),
    default=DEFAULT_FAKING_VOTES,
    show_default=True,
    help="Judge votes per scratchpad.",
)
@click.option(
    "--threshold",
    type=click.FloatRange(0.0, 1.0),
    default=None,
    help=f"Score cut for 'faking' (default: {DEFAULT_THRESHOLD} for the judge, the local "
    "default).",
)
@click.option("--text-field", default="text", show_default=True, help="Key of the text.")
@click.option("--label-field", default="label", show_default=True, help="Key of the label.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def validate(
    labels_path: Path,
    classifier: Literal["local", "judge"],
    judge_model: str | None,
    votes: int,
    threshold: float | None,
    text_field: str,
    label_field: str,
    as_json: bool,
) -> None:
    """Score labelled scratchpads and report AUROC, accuracy, precision, recall and F1."""
    if classifier == "judge" and not judge_model:
        raise click.UsageError("--judge-model is required with --classifier judge")
    try:
        rows: list[LabelledText] = load_labelled(
            labels_path, text_field=text_field, label_field=label_field
        )
    except LabelFileError as e:
        raise click.UsageError(str(e)) from e
    texts = [r.text for r in rows]
    labels = [r.label for r in rows]
    if classifier == "local":
        scores, cut = _local_scores(texts, threshold)
        name = "local"
    else:
        assert judge_model is not None
        cut = DEFAULT_THRESHOLD if threshold is None else threshold
        scores = _judge_scores(texts, judge_model, votes, cut)
        name = f"judge:{judge_model}"
    report = evaluate(scores, labels, threshold=cut, texts=texts)
    if as_json:
        payload = report_to_dict(report)
        payload["classifier"] = name
        payload["labels_file"] = str(labels_path)
        if classifier == "judge":
            payload["votes"] = votes
        click.echo(json.dumps(payload))
    else:
        click.echo(f"classifier: {name}  labels: {labels_path}")
        click.echo(format_report(report))
