from click.testing import CliRunner

from aflab.analysis import power_queries
from aflab.cli.power import power


def test_power_prints_n_and_assumptions():
    result = CliRunner().invoke(power, ["--gap", "0.05", "--base-rate", "0.1"])
    assert result.exit_code == 0, result.output
    assert f"queries per tier: {power_queries(0.05, 0.1)}" in result.output
    assert "P(comply | training) = 0.15" in result.output
    assert "z-test" in result.output


def test_power_paired():
    args = ["--gap", "0.05", "--base-rate", "0.1", "--paired", "--discordance", "0.1"]
    result = CliRunner().invoke(power, args)
    assert result.exit_code == 0, result.output
    assert "queries per tier: 312" in result.output
    assert "McNemar" in result.output


def test_power_rejects_impossible_rates():
    result = CliRunner().invoke(power, ["--gap", "0.5", "--base-rate", "0.9"])
    assert result.exit_code == 1
    assert "base_rate + gap" in result.output
