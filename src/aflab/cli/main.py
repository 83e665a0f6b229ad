"""The ``aflab`` command."""

from __future__ import annotations

import click

from aflab.cli.catalog import settings_command, variants_command
from aflab.cli.classify import classify
from aflab.cli.organisms import docs_command, finetune_command
from aflab.cli.paraphrase import paraphrase_command
from aflab.cli.power import power
from aflab.cli.prompt import prompt_command
from aflab.cli.report import report
from aflab.cli.run import run
from aflab.cli.validate import validate


@click.group()
@click.version_option(package_name="aflab")
def cli() -> None:
    """Alignment-faking experiments: run, classify, validate, analyse, report."""


for command in (run, variants_command, settings_command, prompt_command, paraphrase_command,
                validate, classify, report, power, docs_command, finetune_command):
    cli.add_command(command)


def main() -> None:
    """Console-script entry point."""
    cli()
