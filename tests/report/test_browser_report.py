"""The report opened in headless Chromium: scripts run, transcripts stay text."""

import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "/usr/bin/chromium"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("headless chromium is not installed")


def _run(args: list[str], profile: Path) -> str:
    command = [_chromium(), *_FLAGS, f"--user-data-dir={profile}", *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture(scope="module")
def dom(built, tmp_path_factory) -> str:
    profile = tmp_path_factory.mktemp("chromium")
    url = built.index_html.resolve().as_uri()
    return _run(["--virtual-time-budget=3000", "--dump-dom", url], profile)


def test_browser_code_ran(dom):
    assert "page 1 of 4 · 161 of 161 samples" in dom
    assert dom.count('class="sample"') == 50


def test_injected_markup_is_text(dom):
    assert "&lt;script&gt;document.title='pwned'" in dom
    assert "&lt;img src=x onerror=" in dom
    assert "&lt;/script&gt;&lt;script&gt;document.title='pwned-scratchpad'" in dom
    assert "&lt;b&gt;bold?&lt;/b&gt; &amp; friends" in dom


def test_no_transcript_script_ran(dom):
    assert "<title>aflab report</title>" in dom
    assert "pwned" not in dom.split("</title>")[0]
    assert "<marquee" not in dom
    assert '<img src="x"' not in dom


def test_screenshot(built, tmp_path):
    shot = tmp_path / "report.png"
    url = built.index_html.resolve().as_uri()
    _run([f"--screenshot={shot}", "--window-size=1400,2000", url], tmp_path / "profile")
    assert shot.read_bytes().startswith(b"\x89PNG")
    assert shot.stat().st_size > 50_000
