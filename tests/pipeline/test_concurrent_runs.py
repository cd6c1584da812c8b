"""Concurrent runs (issue 12): one refresh at a time per warehouse, whoever starts it, and a fresh
Dagster home that several processes open at once stays usable.

These start real processes: `python -m cli.run` (what `make run` runs) and
`dagster job execute` (a run executed through the code location's executor, as the UI, the schedule
and the sensor launch them). Both refresh the same warehouse from the same landing folder.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from config.locks import refresh_lock
from tests.conftest import ROOT, SAMPLE_FILES

BIN = Path(sys.executable).parent
BUSY = re.compile(r"another refresh is running \(pid (\d+)\)")


@dataclass
class Env:
    landing: Path
    warehouse: Path
    home: Path

    def vars(self) -> dict[str, str]:
        return os.environ | {
            "PROBATION_REPORTS_DIR": str(self.landing),
            "PROBATION_WAREHOUSE": str(self.warehouse),
            "PROBATION_FETCH": "0",
            "DAGSTER_HOME": str(self.home),
            "DAGSTER_DISABLE_TELEMETRY": "1",
        }


@pytest.fixture()
def env(tmp_path: Path) -> Env:
    landing = tmp_path / "reports"
    landing.mkdir()
    for path in SAMPLE_FILES.values():
        shutil.copy(path, landing / path.name)
    # A fresh Dagster home: no dagster.yaml, no storage; the processes under test create it.
    return Env(landing, tmp_path / "warehouse" / "probation.duckdb", tmp_path / "dagster_home")


COMMANDS = {
    "make run": [sys.executable, "-m", "cli.run"],
    "launched run": [str(BIN / "dagster"), "job", "execute", "-m", "orchestration.definitions", "-j", "refresh_all"],
}


def _start(env: Env, how: str) -> subprocess.Popen:
    return subprocess.Popen(
        COMMANDS[how], cwd=ROOT, env=env.vars(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def _finish(proc: subprocess.Popen) -> tuple[int, str]:
    out, _ = proc.communicate(timeout=600)
    return proc.returncode, out


def _change_a_report(env: Env, round_no: int) -> None:
    # A new content hash for one report: every run below has real work to do (no early stop).
    path = env.landing / SAMPLE_FILES["dorset"].name
    path.write_bytes(SAMPLE_FILES["dorset"].read_bytes() + b"\n" * (round_no + 1))


def _published(out: str) -> bool:
    return "run: succeeded" in out and "serving copy: published" in out


def test_a_second_make_run_exits_at_once_naming_the_holder(env: Env) -> None:
    with refresh_lock(env.warehouse):
        started = time.monotonic()
        code, out = _finish(_start(env, "make run"))
    assert code == 75, out
    assert f"another refresh is running (pid {os.getpid()})" in out
    assert time.monotonic() - started < 60  # it does not wait for the holder
    assert not env.warehouse.exists()  # nothing was touched


def _race(env: Env, pair: tuple[str, str]) -> None:
    """Start both at once: exactly one refreshes and publishes, the other names the winner and stops."""
    procs = {f"{how} #{i}": _start(env, how) for i, how in enumerate(pair)}
    results = {name: (proc.pid, *_finish(proc)) for name, proc in procs.items()}
    winners = [name for name, (_, code, _out) in results.items() if code == 0]
    assert len(winners) == 1, {name: out[-2000:] for name, (_, _, out) in results.items()}
    (winner,) = winners
    (loser,) = set(results) - {winner}
    assert _published(results[winner][2]), results[winner][2][-2000:]
    busy = BUSY.search(results[loser][2])
    assert busy, results[loser][2][-3000:]
    if winner.startswith("make run"):
        assert int(busy.group(1)) == results[winner][0]


def test_two_refreshes_at_once_exactly_one_wins_and_the_next_run_succeeds(env: Env) -> None:
    # Several races on one warehouse and one Dagster home, fresh at the first: `make run` against
    # `make run`, then against a launched run in both orders. Each race's winner is the run after
    # the previous race: it must refresh and publish whatever the loser left behind.
    for round_no, pair in enumerate(
        [("make run", "make run"), ("make run", "launched run"), ("launched run", "make run")]
    ):
        _change_a_report(env, round_no)  # real work for every refresh: no early stop
        _race(env, pair)

    # A launched run that loses fails at once, naming the holder...
    with refresh_lock(env.warehouse):
        code, out = _finish(_start(env, "launched run"))
    assert code != 0 and BUSY.search(out), out[-3000:]
    # ...and neither a publish alone (the UI's "materialize serving/marts") nor the next run trips on it.
    publish = [
        str(BIN / "dagster"),
        "asset",
        "materialize",
        "-m",
        "orchestration.definitions",
        "--select",
        "serving/marts,serving/dashboard",  # one step: the UI materialises them together
    ]
    done = subprocess.run(publish, cwd=ROOT, env=env.vars(), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    _change_a_report(env, 9)
    code, out = _finish(_start(env, "make run"))
    assert code == 0 and _published(out), out[-3000:]


OPEN_INSTANCE = (
    "import sys, time\n"
    "from orchestration.instance import open_instance\n"
    "start = float(sys.argv[1])\n"
    "while time.time() < start: pass\n"  # all processes open the fresh home at the same instant
    "open_instance().get_runs(limit=1)\n"
)


def test_processes_opening_a_fresh_dagster_home_at_once_leave_it_usable(tmp_path: Path) -> None:
    # Unguarded, 3 processes at once broke a fresh home in 5 of 8 tries (two alembic heads, ...).
    for round_no in range(3):
        home = tmp_path / f"home{round_no}"
        start = time.time() + 6  # after every process has imported Dagster
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", OPEN_INSTANCE, str(start)],
                cwd=ROOT,
                env=os.environ | {"DAGSTER_HOME": str(home)},
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for _ in range(3)
        ]
        outputs = [p.communicate(timeout=300)[0] for p in procs]
        assert [p.returncode for p in procs] == [0, 0, 0], outputs
        for db in ("history/runs.db", "history/runs/index.db", "schedules/schedules.db"):
            with sqlite3.connect(home / db) as con:
                assert len(con.execute("SELECT * FROM alembic_version").fetchall()) == 1, db
