"""`make dev`: the Dagster UI, stopped completely and promptly by Ctrl-C or SIGTERM.

`dagster dev` starts a webserver, a daemon and a code server that starts `dagster api grpc`. Started from
a shell that ignores SIGINT/SIGTERM (a background job, some IDE task runners, nohup), Python keeps them
ignored, so `dagster dev` cannot be stopped and, killed harder, leaves the code server and its gRPC child
behind. This wrapper runs `dagster dev` in a process group of its own with default signal handling,
forwards SIGINT/SIGTERM/SIGHUP to that whole group, and kills whatever is left after a grace period.
It also stops everything when its parent (make) dies.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from config.settings import PROJECT_ROOT

GRACE_SECONDS = 10  # dagster dev stops its services in a few seconds; then the rest is killed
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
_PR_SET_PDEATHSIG = 1


def dagster_command(port: int, host: str) -> list[str]:
    dagster = Path(sys.executable).parent / "dagster"
    return [
        str(dagster) if dagster.exists() else "dagster",
        "dev",
        "-w",
        str(PROJECT_ROOT / "workspace.yaml"),
        "-h",
        host,
        "-p",
        str(port),
    ]


def _default_signals() -> None:
    """In the child: default handling of the stop signals, whatever the shell that started make ignored."""
    for sig in STOP_SIGNALS:
        signal.signal(sig, signal.SIG_DFL)


def _die_with_parent() -> None:
    """Linux: get SIGTERM when the parent (make) dies, so that nothing outlives `make dev`."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def group_members(pgid: int) -> list[int]:
    """Live processes of a process group (zombies, already exited, are not counted)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            # fields after the parenthesised command: state ppid pgrp ...
            state, _ppid, group = stat.read_text().rsplit(")", 1)[1].split()[:3]
            if int(group) == pgid and state != "Z":
                members.append(int(stat.parent.name))
    return members


def _group_alive(pgid: int) -> bool:
    if Path("/proc/self/stat").exists():
        return bool(group_members(pgid))
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def stop_group(pgid: int, first: signal.Signals = signal.SIGTERM, grace: float = GRACE_SECONDS) -> None:
    """Signal every process of the group, wait up to `grace` seconds, then kill what is left."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, first)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(-1, os.WNOHANG)  # reap the direct child so it does not count as alive
        if not _group_alive(pgid):
            return
        time.sleep(0.2)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)


def run(port: int, host: str) -> int:
    _die_with_parent()
    # `dagster dev` announces on every start that it is superseded by the `dg` CLI (not installed here).
    warnings = ",".join(filter(None, [os.environ.get("PYTHONWARNINGS"), "ignore:Function `dev_command` is superseded"]))
    child = subprocess.Popen(
        dagster_command(port, host),
        cwd=PROJECT_ROOT,
        start_new_session=True,
        preexec_fn=_default_signals,
        env={**os.environ, "PYTHONWARNINGS": warnings},
    )
    received: list[int] = []

    def on_signal(signum: int, _frame: object) -> None:
        received.append(signum)

    for sig in STOP_SIGNALS:
        signal.signal(sig, on_signal)
    while child.poll() is None and not received:
        time.sleep(0.2)
    if received:
        # dagster dev shuts its services down on SIGINT like on Ctrl-C; the rest of the group follows.
        stop_group(child.pid, first=signal.SIGINT)
    else:
        stop_group(child.pid, grace=1)  # dagster dev ended by itself: leave no orphan behind
    with contextlib.suppress(subprocess.TimeoutExpired):
        child.wait(timeout=1)
    # Stopped by a signal is how `make dev` is meant to end: a success, so make reports no error.
    return 0 if received else (child.returncode or 0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("DEV_PORT", "3000")))
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args(argv)
    return run(args.port, args.host)


if __name__ == "__main__":
    sys.exit(main())
