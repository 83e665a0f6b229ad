"""``aflab paraphrase``: write checked paraphrases of a setting's system prompt."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import click

from aflab.cli.run import _model_args


@click.command("paraphrase")
@click.option("--model", required=True, help="Inspect model that writes the paraphrases.")
@click.option("-M", "model_args", multiple=True, help="Model argument KEY=VALUE (repeatable).")
@click.option("--setting", "setting_name", default="helpful_only", show_default=True)
@click.option("--n", "n", type=click.IntRange(min=1), default=4, show_default=True,
              help="Paraphrases to keep.")  # fmt: skip
@click.option(
    "--max-attempts",
    type=click.IntRange(min=1),
    help="Requests at most (default: twice --n); rejected drafts do not count as kept.",
)
@click.option("--temperature", type=float, default=1.0, show_default=True)
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the paraphrase files and manifest.json (must be new or hold none).",
)
def paraphrase_command(
    model: str,
    model_args: tuple[str, ...],
    setting_name: str,
    n: int,
    max_attempts: int | None,
    temperature: float,
    out: Path,
) -> None:
    """Write N paraphrases of a setting's system prompt that keep every required fact.

    Each kept paraphrase is a file OUT/pN.md.j2; name one in a variant with
    paraphrase=file:OUT/p1.md.j2, or the whole folder with paraphrase=file:OUT to run one
    condition per paraphrase (the report then pools the gap over them). Rejected drafts go
    to OUT/rejected/ and every attempt is listed with its reasons in OUT/manifest.json.
    """
    from inspect_ai.model import get_model

    from aflab.settings import SettingError, load_setting, write_paraphrases

    args: dict[str, Any] = _model_args(model_args) or {}
    try:
        setting = load_setting(setting_name)
        chosen = get_model(model, **args)
        result = asyncio.run(
            write_paraphrases(
                chosen, setting, n, out, max_attempts=max_attempts, temperature=temperature
            )
        )
    except SettingError as error:
        raise click.ClickException(str(error)) from None
    for attempt in result.kept:
        click.echo(f"kept     {out / str(attempt.file)}")
    for attempt in result.rejected:
        reasons = "; ".join(attempt.reasons[:3])
        more = f" (+{len(attempt.reasons) - 3} more)" if len(attempt.reasons) > 3 else ""
        click.echo(f"rejected attempt {attempt.attempt}: {reasons}{more}")
    click.echo(f"manifest {result.manifest}")
    click.echo(f"use with: --variant paraphrase=file:{out}")
    if len(result.kept) < n:
        raise click.ClickException(
            f"kept {len(result.kept)} of {n} paraphrases after "
            f"{len(result.kept) + len(result.rejected)} attempts; see {result.manifest}"
        )
