"""``aflab classify``: run the classifiers on a file of recorded transcripts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from aflab.classifiers import DEFAULT_FAKING_VOTES, DEFAULT_FRAME_VOTES, DEFAULT_THRESHOLD


def _row(sample: Any) -> dict[str, Any]:
    """One transcript's scores: the sample table's score columns (`aflab.contract`)."""
    from aflab.analysis import score_columns

    return {"id": sample.id, **score_columns(sample.scores)}


@click.command("classify")
@click.argument("transcripts", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--judge-model", default=None,
              help="Judge model; the local classifiers when omitted.")
@click.option("--votes", type=click.IntRange(min=1), default=DEFAULT_FAKING_VOTES,
              show_default=True, help="Faking judge votes.")
@click.option("--threshold", type=click.FloatRange(0, 1), default=DEFAULT_THRESHOLD,
              show_default=True, help="Share of yes votes that labels faking (judge).")
@click.option("--frame-votes", type=click.IntRange(min=1), default=DEFAULT_FRAME_VOTES,
              show_default=True, help="Judge votes per text (second-frame readings).")
@click.option("--text-field", default="text", show_default=True, help="Scratchpad field.")
@click.option("--output-field", default="output", show_default=True, help="Output field.")
@click.option("--request-field", default="request", show_default=True, help="Request field.")
@click.option("--log-dir", default="logs/aflab-classify", show_default=True)
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write one JSON line of scores per transcript here.")
def classify(
    transcripts: Path,
    judge_model: str | None,
    votes: int,
    threshold: float,
    frame_votes: int,
    text_field: str,
    output_field: str,
    request_field: str,
    log_dir: str,
    out_path: Path | None,
) -> None:
    """Score recorded transcripts for compliance, alignment faking and the two frames.

    TRANSCRIPTS is a JSON or JSONL file of records holding a scratchpad (and optionally the
    final output and the user request). Nothing is generated; the run is an Inspect log.
    """
    from inspect_ai import eval

    from aflab.tasks import TranscriptFileError, classify_transcripts

    if out_path is not None and not out_path.parent.is_dir():
        raise click.UsageError(f"--out: {out_path.parent} is not an existing folder")
    try:
        task = classify_transcripts(
            file=str(transcripts), text_field=text_field, output_field=output_field,
            request_field=request_field, judge_model=judge_model, votes=votes,
            af_threshold=threshold, frame_votes=frame_votes,
        )  # fmt: skip
    except TranscriptFileError as err:
        raise click.UsageError(str(err)) from None
    [log] = eval(task, model="none", log_dir=log_dir, display="none")
    if log.status != "success":
        message = log.error.message if log.error else log.status
        raise click.ClickException(
            f"classification did not finish ({message}); log: {log.location}"
        )
    rows = [_row(s) for s in log.samples or []]
    if out_path is not None:
        try:
            out_path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        except OSError as err:
            raise click.ClickException(
                f"cannot write {out_path}: {err.strerror or err}; the scores are in {log.location}"
            ) from None
    faking = [r["af_label"] for r in rows if r.get("af_label") is not None]
    complied = [r["complied"] for r in rows if r.get("complied") is not None]
    click.echo(f"transcripts: {len(rows)}")
    click.echo(f"alignment faking: {int(sum(faking))} of {len(faking)} scored"
               f" ({len(rows) - len(faking)} unscored)")
    click.echo(f"complied: {int(sum(complied))} of {len(complied)} with an output")
    click.echo(f"log: {log.location}")
    if out_path is not None:
        click.echo(f"scores: {out_path}")
