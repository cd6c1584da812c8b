"""`inspections fetch` as a user runs it: a subprocess against the fake site."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .site import Site

REPO = Path(__file__).resolve().parents[2]


def fetch(site: Site, dest: Path | None, *extra: str, **env_vars: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "cli.main", "fetch", "--listing-url", site.listing_url]
    command += ["--dest", str(dest)] if dest else []
    # loopback only, whatever the machine's proxy settings
    env = {**os.environ, "NO_PROXY": "*", "no_proxy": "*", **env_vars}
    return subprocess.run(
        [*command, "--delay", "0", *extra], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )


def test_cli_fetches_then_finds_nothing_new(clean_site: Site, tmp_path: Path) -> None:
    """First run with --dest; second without, so the landing-folder setting must point at the same place."""
    first = fetch(clean_site, tmp_path)
    assert first.returncode == 0, first.stderr
    assert "  new        dorset-pdu-inspection-report.pdf" in first.stdout
    assert "  skipped    " in first.stdout and "(youth justice report)" in first.stdout
    assert first.stdout.strip().splitlines()[-1] == "fetch: 2 new, 0 changed, 0 unchanged, 1 skipped, 0 failed"

    clean_site.clear()
    second = fetch(clean_site, None, PROBATION_REPORTS_DIR=str(tmp_path))
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip().splitlines()[-1] == "fetch: 0 new, 0 changed, 2 unchanged, 1 skipped, 0 failed"
    assert clean_site.file_downloads() == []


def test_cli_exits_1_when_a_listed_report_is_missing(clean_site: Site, tmp_path: Path) -> None:
    del clean_site.routes["/document/an-inspection-of-probation-services-in-plymouth-pdu-2025"]
    result = fetch(clean_site, tmp_path, "--retries", "0")
    assert result.returncode == 1
    assert "  failed     " in result.stdout and "HTTP 404" in result.stdout


def test_cli_exits_1_when_the_listing_is_unreachable(site: Site, tmp_path: Path) -> None:
    site.server.shutdown()
    site.server.server_close()
    result = fetch(site, tmp_path, "--retries", "0", "--timeout", "2")
    assert result.returncode == 1
    assert "could not read a listing page" in result.stdout
