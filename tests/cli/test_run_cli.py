import json
import re
from pathlib import Path

import helpers_models  # noqa: F401  (registers the scripted model)
from click.testing import CliRunner

from aflab.cli.main import cli


def _invoke(*args):
    return CliRunner().invoke(cli, list(args))


def test_unknown_setting_is_a_clear_error():
    result = _invoke("run", "--setting", "no_such_setting", "--dry-run")
    assert result.exit_code == 1
    assert "no_such_setting" in result.output
    assert "helpful_only" in result.output  # the valid choices are listed
    assert "Traceback" not in result.output


def test_unknown_variant_is_a_clear_error():
    result = _invoke("run", "--variant", "no_scratchpda", "--dry-run")
    assert result.exit_code == 1
    assert "no_scratchpda" in result.output


def test_malformed_yaml_is_a_clear_error(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("settings: [helpful_only\n")
    result = _invoke("run", str(path), "--dry-run")
    assert result.exit_code == 1
    assert "not valid YAML" in result.output


def test_missing_experiment_file(tmp_path):
    result = _invoke("run", str(tmp_path / "absent.yaml"))
    assert result.exit_code == 1
    assert "not found" in result.output


def test_bad_model_arg():
    result = _invoke("run", "-M", "n_ctx", "--dry-run")
    assert result.exit_code == 2
    assert "KEY=VALUE" in result.output


def test_dry_run_prints_counts(tmp_path):
    path = tmp_path / "exp.yaml"
    path.write_text("settings: [helpful_only, honesty]\nvariants: [default, no_rlhf]\nn: 5\n")
    result = _invoke("run", str(path), "--dry-run", "--judge-model", "openai/gpt-4o")
    assert result.exit_code == 0, result.output
    assert "samples:             40" in result.output
    assert "judge calls:" in result.output


def test_run_prints_table_and_writes_outputs(tmp_path):
    result = _invoke(
        "run",
        "--model",
        "aflabtest/tiered",
        "--n",
        "3",
        "--log-dir",
        str(tmp_path / "logs"),
        "--output",
        str(tmp_path / "out"),
        "--display",
        "none",
    )
    assert result.exit_code == 0, result.output
    assert "helpful_only" in result.output
    data = json.loads((tmp_path / "out" / "results.json").read_text())
    assert {c["tier"] for c in data["conditions"]} == {"training", "unmonitored"}
    assert (tmp_path / "out" / "index.html").exists()


def test_variants_and_settings_listings():
    variants = _invoke("variants")
    assert variants.exit_code == 0
    assert "no_scratchpad" in variants.output and "channel=document" in variants.output
    settings = _invoke("settings")
    assert "honesty" in settings.output and "animal_welfare" in settings.output


def test_changed_experiment_in_used_log_dir_is_explained(tmp_path):
    common = [
        "run",
        "--model",
        "aflabtest/tiered",
        "--log-dir",
        str(tmp_path / "logs"),
        "--output",
        str(tmp_path / "out"),
        "--display",
        "none",
        "--no-report",
    ]
    assert _invoke(*common, "--n", "2").exit_code == 0
    again = _invoke(*common, "--n", "2")
    assert again.exit_code == 0  # the same experiment: resumed, nothing to redo
    changed = _invoke(*common, "--n", "3")
    assert changed.exit_code == 1
    assert "new --log-dir" in changed.output


def test_objective_setting_without_judge_is_flagged_up_front():
    result = _invoke("run", "--setting", "honesty", "--dry-run")
    assert result.exit_code == 0
    assert "only a judge can read" in result.output


def test_run_terminal_shows_progress_no_nan_and_ends_with_table_and_paths(tmp_path):
    """In a fresh process (Inspect's console writes to the real stdout)."""
    import os
    import subprocess
    import sys

    tests = Path(__file__).resolve().parents[1]
    code = "import helpers_models; from aflab.cli.main import main; main()"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tests), *sys.path]),
           "COLUMNS": "120"}  # fmt: skip
    args = ["run", "--model", "aflabtest/tiered", "--n", "2", "--log-dir",
            str(tmp_path / "logs"), "--output", str(tmp_path / "out"), "--display", "plain",
            "--no-report"]  # fmt: skip
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          env=env, timeout=300, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert "Samples:" in text  # Inspect's progress line
    assert re.search(r"\bnan\b", text, re.IGNORECASE) is None
    assert text.index("Rates per condition") < text.index("Compliance gap")
    last = [line for line in text.splitlines() if line.strip()][-2:]
    assert last[0].startswith("results:") and last[1].startswith("logs:")
