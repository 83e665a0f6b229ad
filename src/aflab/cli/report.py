"""`aflab report`: build the HTML report of one or more runs."""

from __future__ import annotations

from pathlib import Path

import click

from aflab.analysis import AnalysisError, collect_log_warnings
from aflab.cli._paths import check_writable_folder
from aflab.report import build_report

__all__ = ["report"]


@click.command("report")
@click.argument("logs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--output",
    "-o",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory for index.html, results.json, samples.csv/.parquet and the figures.",
)
@click.option("--title", default="aflab report", show_default=True, help="Page title.")
@click.option("--summary/--no-summary", default=True, help="Print the rates and gaps too.")
@click.option(
    "--af-threshold",
    type=click.FloatRange(0.0, 1.0),
    help="Relabel judge-scored scratchpads at this share of yes votes (no new judge calls).",
)
def report(
    logs: tuple[Path, ...], output: Path, title: str, summary: bool, af_threshold: float | None
) -> None:
    """Build a self-contained report from Inspect logs (files or directories)."""
    check_writable_folder(output, "the report")
    try:
        with collect_log_warnings() as notes:
            result = build_report(list(logs), output, title=title, af_threshold=af_threshold)
    except AnalysisError as exc:
        raise click.ClickException(str(exc)) from exc
    for note in notes:  # unfinished logs, samples held by several logs
        click.echo(f"warning: {note}", err=True)
    if summary:
        click.echo(result.analysis.format())
    click.echo(f"report: {result.index_html}")
    click.echo(f"results: {result.results_json}")
    click.echo(f"samples: {result.samples_csv} (and {result.samples_parquet.name})")
