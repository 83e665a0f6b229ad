"""The ``aflab`` command."""

from __future__ import annotations

import click

from aflab.cli.catalog import settings_command, variants_command
from aflab.cli.paraphrase import paraphrase_command
from aflab.cli.prompt import prompt_command
from aflab.cli.run import run


@click.group()
@click.version_option(package_name="aflab")
def cli() -> None:
    """Alignment-faking experiments: run, classify, validate, analyse, report."""


cli.add_command(run)
cli.add_command(variants_command)
cli.add_command(settings_command)
cli.add_command(prompt_command)
cli.add_command(paraphrase_command)


def _add_optional_commands() -> None:
    from aflab.cli.classify import classify
    from aflab.cli.organisms import docs_command, finetune_command
    from aflab.cli.power import power
    from aflab.cli.report import report
    from aflab.cli.validate import validate

    for command in (validate, classify, report, power, docs_command, finetune_command):
        cli.add_command(command)


_add_optional_commands()


def main() -> None:
    """Console-script entry point."""
    cli()
