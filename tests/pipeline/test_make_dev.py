"""`make dev` stops everything it started, promptly, on Ctrl-C (SIGINT to its process group) or SIGTERM.

Started for real (make -> cli.dev -> dagster dev -> webserver, daemon, code server, dagster api
grpc) on a free local port with its own DAGSTER_HOME; every wait is bounded.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from cli.dev import group_members
from config.ports import free_port
from tests.conftest import ROOT

pytestmark = pytest.mark.slow

STARTUP_SECONDS = 180
STOP_SECONDS = 30  # the wrapper's grace period is 10 s; dagster dev itself needs a few


def ignoring_stop_signals() -> None:
    """Start like a background job of a non-interactive shell (or an IDE task): SIGINT/SIGTERM ignored."""
    os.setsid()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def default_signals() -> None:
    """Start like a terminal does: its own process group, default signal handling."""
    os.setsid()
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def commands_of(pids: list[int]) -> list[str]:
    commands = []
    for pid in pids:
        with contextlib.suppress(OSError):
            commands.append(Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()[:160])
    return commands


@pytest.fixture
def start_make_dev(tmp_path: Path, dbt_manifest: None) -> Iterator[Callable[[Callable[[], None]], subprocess.Popen]]:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    started: list[subprocess.Popen] = []

    def start(preexec: Callable[[], None]) -> subprocess.Popen:
        port = free_port()
        home = tmp_path / "dagster_home"
        log = open(tmp_path / "make-dev.log", "w")  # noqa: SIM115 (closed with the process below)
        # Command-line variables override the Makefile's own DAGSTER_HOME: this run keeps to its tmp folder.
        process = subprocess.Popen(
            ["make", "--no-print-directory", "dev", f"DEV_PORT={port}", f"DAGSTER_HOME={home}"],
            cwd=ROOT,
            env={**os.environ, "PROBATION_WAREHOUSE": str(tmp_path / "warehouse" / "probation.duckdb")},
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=preexec,
        )
        started.append(process)
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline and process.poll() is None:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=2)
                break
            except OSError:
                time.sleep(1)
        else:
            pytest.skip(
                f"make dev did not serve on port {port} within {STARTUP_SECONDS}s: "
                f"{(tmp_path / 'make-dev.log').read_text()[-1500:]}"
            )
        # the code server has started its gRPC process once the UI answers
        assert any("api grpc" in c for c in commands_of(all_started(process))), commands_of(all_started(process))
        return process

    yield start
    for process in started:  # never leave anything behind, whatever the test did
        for pgid in {process.pid, *(_pgid(p) for p in all_started(process))}:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pgid, signal.SIGKILL)


def _pgid(pid: int) -> int:
    try:
        return os.getpgid(pid)
    except ProcessLookupError:
        return pid


def all_started(make: subprocess.Popen) -> list[int]:
    """make's process group, and the process group of dagster dev that the wrapper starts."""
    pids = set(group_members(make.pid))
    for pid in list(pids):
        pids |= set(group_members(_pgid(pid)))
        for child in _children(pid):
            pids |= set(group_members(_pgid(child)))
    return sorted(pids)


def _children(pid: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def stop_and_check(make: subprocess.Popen, send: Callable[[], None]) -> None:
    everything = all_started(make)
    dev_groups = {_pgid(pid) for pid in everything}
    started = time.monotonic()
    send()
    try:
        make.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        pytest.fail(f"make dev still running {STOP_SECONDS}s after the signal")
    deadline = time.monotonic() + 5
    left = [pid for group in dev_groups for pid in group_members(group)]
    while left and time.monotonic() < deadline:
        time.sleep(0.2)
        left = [pid for group in dev_groups for pid in group_members(group)]
    assert left == [], f"left running after {time.monotonic() - started:.1f}s: {commands_of(left)}"


def test_ctrl_c_stops_everything_even_when_started_ignoring_signals(start_make_dev) -> None:
    make = start_make_dev(ignoring_stop_signals)
    stop_and_check(make, lambda: os.killpg(make.pid, signal.SIGINT))  # what Ctrl-C sends: the whole group


def test_sigterm_to_make_stops_everything(start_make_dev, tmp_path: Path) -> None:
    make = start_make_dev(default_signals)
    stop_and_check(make, lambda: make.send_signal(signal.SIGTERM))  # e.g. a process manager stopping make
    log = (tmp_path / "make-dev.log").read_text()
    assert "Warning: " not in log and " - WARNING - " not in log, log[-3000:]
