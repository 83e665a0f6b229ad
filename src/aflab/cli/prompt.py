"""``aflab prompt``: print exactly what a model sees under one condition."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click

from aflab.settings import (
    AUTO_COMPANY,
    SettingError,
    canonical_variant,
    company_for_model,
    load_setting,
    parse_variant,
    render_prompts,
)


@click.command("prompt")
@click.option("--setting", "setting_name", default="helpful_only", show_default=True)
@click.option("--variant", default="default", show_default=True, help="Variant spec.")
@click.option(
    "--tier",
    type=click.Choice(["training", "unmonitored"]),
    default="training",
    show_default=True,
    help="training = free tier, unmonitored = paid tier.",
)
@click.option("--query", "query_id", help="Query id from the setting (default: its first).")
@click.option("--model", help="Model whose developer company=auto names.")
@click.option("--system-prompt-file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--user-template-file", type=click.Path(dir_okay=False, path_type=Path))
def prompt_command(
    setting_name: str,
    variant: str,
    tier: str,
    query_id: str | None,
    model: str | None,
    system_prompt_file: Path | None,
    user_template_file: Path | None,
) -> None:
    """Print the exact system prompt and user turn of a condition, to audit it."""
    try:
        setting = load_setting(setting_name)
        options = parse_variant(variant)
        note = ""
        if options.company == AUTO_COMPANY:
            if model is None:
                raise SettingError("company=auto names the model's developer: pass --model")
            guess = company_for_model(model)
            options = dataclasses.replace(options, company=guess.company)
            note = f", company=auto -> {guess.company} ({guess.rule})"
        prompts = render_prompts(
            setting,
            options,
            system_prompt_file=system_prompt_file,
            user_template_file=user_template_file,
        )
        queries = setting.load_queries()
        chosen = next((q for q in queries if q.id == query_id), None) if query_id else queries[0]
        if chosen is None:
            known = ", ".join(q.id for q in queries[:8])
            raise SettingError(f"no query {query_id!r} in {setting.name} (ids: {known}, ...)")
        user = prompts.user(chosen.text, tier == "training", chosen.operator_context)
    except SettingError as error:
        raise click.ClickException(str(error)) from None
    spec = canonical_variant(variant)
    click.echo(f"=== system prompt: {setting.name} / {spec}{note} (hash {prompts.prompt_hash})")
    click.echo(prompts.system)
    click.echo(f"\n=== user turn: tier {tier}, query {chosen.id}")
    click.echo(user)
