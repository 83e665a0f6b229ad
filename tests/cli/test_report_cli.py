from click.testing import CliRunner
from helpers_logs import pattern, write_log

from aflab.cli.report import report


def test_report_command_writes_and_prints_the_report(tmp_path):
    write_log(tmp_path / "logs" / "run.eval", pattern(6, training_comply=0.5))
    out = tmp_path / "out"
    result = CliRunner().invoke(report, [str(tmp_path / "logs"), "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert f"report: {out / 'index.html'}" in result.output
    assert "+50.0 pp" in result.output
    assert (out / "index.html").exists() and (out / "results.json").exists()


def test_report_command_explains_an_empty_directory(tmp_path):
    result = CliRunner().invoke(report, [str(tmp_path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "no Inspect logs" in result.output


def test_report_warns_about_an_unfinished_log_and_copies(tmp_path):
    specs = pattern(5, training_comply=0.4)
    write_log(tmp_path / "logs" / "done.eval", specs)
    write_log(tmp_path / "logs" / "killed.eval", specs[:3], status="started")
    result = CliRunner().invoke(report, [str(tmp_path / "logs"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    unfinished = f"warning: log {tmp_path / 'logs' / 'killed.eval'} is unfinished"
    assert unfinished in result.stderr
    assert "warning: 3 sample(s) appear in more than one log" in result.stderr
    assert "Traceback" not in result.output
