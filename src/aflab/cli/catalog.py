"""``aflab settings`` and ``aflab variants``: what can be run."""

from __future__ import annotations

import click

from aflab.settings import list_settings, list_variants, load_setting


@click.command("variants")
def variants_command() -> None:
    """List the prompt variants; join several with '+' (e.g. no_examples+paraphrase=2)."""
    infos = list_variants()
    width = max(len(v.name) for v in infos)
    for info in infos:
        click.echo(f"{info.name.ljust(width)}  {info.description}")


@click.command("settings")
def settings_command() -> None:
    """List the settings (the conflicts told to the model) and the value each attacks."""
    for name in list_settings():
        setting = load_setting(name)
        click.echo(f"{name:<24} [{setting.value}] {setting.description}")
