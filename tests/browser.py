"""Headless Chromium (Debian's package, installed by `make browser`) for the tests that render a page."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# No background connections: this machine's network is closed, and Chromium would retry them at every start.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs /usr/bin/chromium (make browser installs it: apt-get install -y chromium)"
)


def run_chromium(url: str, profile: Path, *args: str, budget_ms: int = 5000, timeout: int = 120) -> str:
    """Load `url` in a fresh profile and return what Chromium printed (e.g. with --dump-dom)."""
    result = subprocess.run(
        [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", f"--virtual-time-budget={budget_ms}", *args, url],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout
