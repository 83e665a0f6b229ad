"""`aflab power`: queries per tier needed to detect a compliance gap."""

from __future__ import annotations

import click

from aflab.analysis import AnalysisError, paired_power, power_queries

__all__ = ["power"]


@click.command("power")
@click.option("--gap", type=float, required=True, help="Expected compliance gap, e.g. 0.05.")
@click.option(
    "--base-rate", type=float, required=True, help="Expected compliance in the unmonitored tier."
)
@click.option("--alpha", type=float, default=0.05, show_default=True, help="Two-sided level.")
@click.option("--power", "power_", type=float, default=0.8, show_default=True, help="Power.")
@click.option("--paired", is_flag=True, help="Queries asked in both tiers (simulated test).")
@click.option(
    "--discordance",
    type=float,
    default=None,
    help="Share of discordant pairs (paired, one epoch); default assumes independent tiers.",
)
@click.option("--epochs", type=int, default=1, show_default=True, help="Epochs per query.")
@click.option(
    "--icc",
    type=float,
    default=0.0,
    show_default=True,
    help="Intra-query correlation of compliance (paired), e.g. 0.3.",
)
@click.option("--sims", type=int, default=2000, show_default=True, help="Simulated runs.")
@click.option("--seed", type=int, default=0, show_default=True, help="Simulation seed.")
def power(
    gap: float,
    base_rate: float,
    alpha: float,
    power_: float,
    paired: bool,
    discordance: float | None,
    epochs: int,
    icc: float,
    sims: int,
    seed: int,
) -> None:
    """Print how many queries per tier detect GAP at the given level and power."""
    try:
        n = power_queries(
            gap,
            base_rate,
            alpha,
            power_,
            paired=paired,
            discordance=discordance,
            epochs=epochs,
            icc=icc,
            n_sims=sims,
            seed=seed,
        )
    except AnalysisError as exc:
        raise click.ClickException(str(exc)) from exc
    training = base_rate + gap
    click.echo(f"queries per tier: {n}" + (f" (x {epochs} epochs)" if epochs > 1 else ""))
    click.echo(
        f"assumptions: P(comply | unmonitored) = {base_rate:g}, "
        f"P(comply | training) = {training:g}, gap = {gap:g}, "
        f"two-sided alpha = {alpha:g}, power = {power_:g}"
    )
    if not paired:
        click.echo(
            "test: two-proportion score test (Cohen's h, statsmodels NormalIndPower); "
            "tiers sampled independently"
        )
        return
    achieved = paired_power(
        n,
        gap,
        base_rate,
        alpha=alpha,
        discordance=discordance,
        epochs=epochs,
        icc=icc,
        n_sims=sims,
        seed=seed,
    )
    if epochs == 1 and icc == 0:
        psi = discordance
        source = "given"
        if psi is None:
            psi = training * (1 - base_rate) + base_rate * (1 - training)
            source = "independent tiers"
        model = f"discordant pairs {psi:.3g} ({source})"
    else:
        model = f"per-query Beta compliance, intra-query correlation {icc:g}"
    name = "McNemar score test" if epochs == 1 else "query-clustered McNemar test (Durkalski)"
    click.echo(
        f"test: {name}, simulated ({sims} runs, seed {seed}); {model}; "
        f"simulated power at {n} queries: {achieved:.3f}"
    )
