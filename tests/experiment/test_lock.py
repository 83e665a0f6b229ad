"""One run per log directory: a second one stops at once with a clear message."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from aflab.cli.main import cli
from aflab.experiment import LogDirLockedError, lock_log_dir

HOLD = """
import sys, time
from aflab.experiment import lock_log_dir
with lock_log_dir(sys.argv[1]):
    print("locked", flush=True)
    time.sleep(60)
"""


def test_a_second_holder_is_refused_and_the_lock_is_released(tmp_path):
    with (
        lock_log_dir(tmp_path),
        pytest.raises(LogDirLockedError, match=r"in use by another aflab run \(pid \d+"),
        lock_log_dir(tmp_path),
    ):
        pass
    with lock_log_dir(tmp_path):  # released on exit
        pass


def test_a_killed_holder_leaves_no_stale_lock(tmp_path):
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(LogDirLockedError, match=f"pid {holder.pid}"), lock_log_dir(tmp_path):
            pass
    finally:
        holder.kill()
        holder.wait()
    with lock_log_dir(tmp_path):
        pass


def test_a_second_run_on_a_log_dir_in_use_gets_a_clear_message(tmp_path):
    logs = tmp_path / "logs"
    with lock_log_dir(logs):
        result = CliRunner().invoke(
            cli, ["run", "-m", "mockllm/model", "--n", "1", "--log-dir", str(logs),
                  "-o", str(tmp_path / "out")],
        )  # fmt: skip
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"log directory {logs} is in use by another aflab run" in result.output
    assert "pass a different --log-dir" in result.output
    assert not list(logs.glob("*.eval"))
