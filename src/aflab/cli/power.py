"""`aflab power`: queries per tier needed to detect a compliance gap."""

from __future__ import annotations

import click

from aflab.analysis import AnalysisError, power_queries

__all__ = ["power"]


@click.command("power")
@click.option("--gap", type=float, required=True, help="Expected compliance gap, e.g. 0.05.")
@click.option(
    "--base-rate", type=float, required=True, help="Expected compliance in the unmonitored tier."
)
@click.option("--alpha", type=float, default=0.05, show_default=True, help="Two-sided level.")
@click.option("--power", "power_", type=float, default=0.8, show_default=True, help="Power.")
@click.option("--paired", is_flag=True, help="Queries asked in both tiers (McNemar).")
@click.option(
    "--discordance",
    type=float,
    default=None,
    help="Share of discordant pairs (paired only); default assumes independent tiers.",
)
def power(
    gap: float,
    base_rate: float,
    alpha: float,
    power_: float,
    paired: bool,
    discordance: float | None,
) -> None:
    """Print how many queries per tier detect GAP at the given level and power."""
    try:
        n = power_queries(gap, base_rate, alpha, power_, paired=paired, discordance=discordance)
    except AnalysisError as exc:
        raise click.ClickException(str(exc)) from exc
    training = base_rate + gap
    click.echo(f"queries per tier: {n}")
    click.echo(
        f"assumptions: P(comply | unmonitored) = {base_rate:g}, "
        f"P(comply | training) = {training:g}, gap = {gap:g}, "
        f"two-sided alpha = {alpha:g}, power = {power_:g}"
    )
    if paired:
        psi = discordance
        if psi is None:
            psi = training * (1 - base_rate) + base_rate * (1 - training)
            source = "independent tiers"
        else:
            source = "given"
        click.echo(
            f"test: exact McNemar on query pairs (Connor 1987 approximation); "
            f"discordant pairs {psi:.3g} ({source}); each query is asked in both tiers"
        )
    else:
        click.echo(
            "test: two-proportion z-test (Cohen's h, statsmodels NormalIndPower); "
            "tiers sampled independently"
        )
