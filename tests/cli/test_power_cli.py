from click.testing import CliRunner

from aflab.analysis import power_queries
from aflab.cli.power import power


def test_power_prints_n_and_assumptions():
    result = CliRunner().invoke(power, ["--gap", "0.05", "--base-rate", "0.1"])
    assert result.exit_code == 0, result.output
    assert f"queries per tier: {power_queries(0.05, 0.1)}" in result.output
    assert "P(comply | training) = 0.15" in result.output
    assert "score test" in result.output


def test_power_paired():
    args = ["--gap", "0.05", "--base-rate", "0.1", "--paired", "--discordance", "0.1"]
    result = CliRunner().invoke(power, args)
    assert result.exit_code == 0, result.output
    n = power_queries(0.05, 0.1, paired=True, discordance=0.1)
    assert f"queries per tier: {n}" in result.output
    assert "McNemar score test, simulated (2000 runs" in result.output


def test_power_paired_with_epochs_and_correlation():
    args = ["--gap", "0.11", "--base-rate", "0.1", "--paired", "--epochs", "5", "--icc", "0.3"]
    result = CliRunner().invoke(power, [*args, "--sims", "500"])
    assert result.exit_code == 0, result.output
    n = power_queries(0.11, 0.1, paired=True, epochs=5, icc=0.3, n_sims=500)
    assert f"queries per tier: {n} (x 5 epochs)" in result.output
    assert "query-clustered" in result.output and "correlation 0.3" in result.output


def test_power_rejects_impossible_rates():
    result = CliRunner().invoke(power, ["--gap", "0.5", "--base-rate", "0.9"])
    assert result.exit_code == 1
    assert "base_rate + gap" in result.output
