"""Ctrl-C, SIGTERM and SIGKILL in the middle of `aflab run`, then a resume.

The run goes to the loopback fake server; both run in child processes of their own, so that
neither depends on the state of the test session. An interrupt keeps the logs,
says what finished and how to resume, exits 130 and prints no traceback; the next run
finishes the rest, and every sample is counted once.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from fake_openai_server import ServerProcess, server_process

import aflab

N = 6  # queries; each runs in both tiers
STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


class _Run:
    """`aflab run` in a child process; its output is read as it comes, so it never blocks."""

    def __init__(
        self, server: ServerProcess, tmp_path: Path, name: str, launcher: str = "plain"
    ) -> None:
        env = {
            **os.environ,
            "FAKE_API_KEY": "not-a-secret",
            "FAKE_BASE_URL": server.base_url,
            # Only aflab's own source root: the test session's sys.path also holds test and
            # namespace folders whose modules would shadow top-level names in the child.
            "PYTHONPATH": str(Path(aflab.__file__).resolve().parents[1]),
        }
        command = [
            sys.executable, "-c", "from aflab.cli.main import main; main()", "run",
            "-m", f"openai-api/fake/{name}",
            "--n", str(N), "--max-continuations", "0", "--max-connections", "2",
            "--log-dir", str(tmp_path / "logs"), "-o", str(tmp_path / "out"),
            "-M", "max_retries=0", "--display", "none", "--no-report",
        ]  # fmt: skip
        # A launcher can hand the run SIGINT and SIGTERM blocked (its signal mask), or SIGINT
        # ignored (as shells do for background jobs); both are inherited across exec.
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        handler = signal.getsignal(signal.SIGINT)
        try:
            if launcher != "blocked":
                signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            if launcher == "ignores_sigint":
                signal.signal(signal.SIGINT, signal.SIG_IGN)
            self.process = subprocess.Popen(
                command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT, text=True,
            )  # fmt: skip
        finally:
            signal.signal(signal.SIGINT, handler)
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        self._lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.append(line)

    def finish(self, timeout: float) -> tuple[int, str]:
        """Wait for the run (killing it after `timeout` s); its exit code and output."""
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            self._reader.join(timeout=10)
            pytest.fail(f"the run did not end within {timeout:g} s:\n{self.output[-2000:]}")
        self._reader.join(timeout=10)
        return self.process.returncode, self.output

    @property
    def output(self) -> str:
        return "".join(self._lines)


def _interrupt(tmp_path: Path, sig: signal.Signals, launcher: str = "plain") -> tuple[int, str]:
    with server_process(latency=1.0, max_seconds=240, announce=True) as server:
        run = _Run(server, tmp_path, "slow", launcher)
        deadline = time.monotonic() + 180
        # Two connections: the fifth request starts after two rounds of replies, so the first
        # samples are scored and logged; the signal lands half-way through the fifth
        # request's one-second wait, while the run waits on the server.
        while server.requests < 5 and time.monotonic() < deadline and run.process.poll() is None:
            time.sleep(0.02)
        time.sleep(0.5)
        if server.requests < 5 or run.process.poll() is not None:
            run.process.kill()
            pytest.fail(f"the run was not mid-way at the signal:\n{run.finish(60)[1][-2000:]}")
        run.process.send_signal(sig)
        return run.finish(60)


def _resume(tmp_path: Path) -> tuple[int, dict[str, object]]:
    with server_process(max_seconds=240, announce=True) as server:
        code, output = _Run(server, tmp_path, "slow").finish(240)
    assert code == 0, output[-3000:]
    return server.requests, json.loads((tmp_path / "out" / "results.json").read_text())


def _assert_counted_once(summary: dict[str, object]) -> None:
    conditions = summary["conditions"]
    assert isinstance(conditions, list) and len(conditions) == 2
    for condition in conditions:
        assert condition["n"] == N and condition["errors"] == 0


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupt_keeps_the_logs_and_the_resume_finishes(tmp_path, sig):
    code, output = _interrupt(tmp_path, sig)
    assert code == 130, output[-3000:]
    assert "Traceback" not in output
    assert f"Interrupted. The logs are kept in {tmp_path / 'logs'}" in output
    assert "Run the same command again to resume" in output
    assert list((tmp_path / "logs").glob("*.eval"))
    generated, summary = _resume(tmp_path)
    assert generated < 2 * N  # the finished samples were not generated again
    _assert_counted_once(summary)


def test_a_killed_run_loses_only_samples_in_flight(tmp_path):
    code, _ = _interrupt(tmp_path, signal.SIGKILL)
    assert code == -signal.SIGKILL
    generated, summary = _resume(tmp_path)
    assert generated <= 2 * N
    _assert_counted_once(summary)


@pytest.mark.parametrize(
    ("launcher", "sig"),
    [("blocked", signal.SIGINT), ("ignores_sigint", signal.SIGINT),
     ("ignores_sigint", signal.SIGTERM)],
)
def test_a_run_launched_with_the_signals_held_still_stops(tmp_path, launcher, sig):
    code, output = _interrupt(tmp_path, sig, launcher)
    assert code == 130, output[-3000:]
    assert "Run the same command again to resume" in output
