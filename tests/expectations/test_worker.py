"""The GX worker process (expectations/worker.py) and its client (expectations/prewarm.py), for real."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest

from expectations import SUITES, run_suite
from expectations.prewarm import PROJECT_ROOT, GxWorker, WorkerFailed
from expectations.runner import SuiteResult
from tests.dbt.warehouse_fixtures import Built

pytestmark = pytest.mark.slow

# Every suite fails: an out-of-range percentage, a rating off the scale (two ways), and the sample's
# quarantined file (the crafted sample has one).
BREAKS = (
    f"update raw.key_questions set pct_yes = 140 where content_sha256 = '{'a' * 64}' and standard_code = '2.2'",
    f"update raw.standards set band_rating = 'Excellent' where content_sha256 = '{'a' * 64}'",
    f"update raw.standards set rating = 'Satisfactory' where content_sha256 = '{'a' * 64}' and code = '1.1'",
)


@pytest.fixture
def worker() -> Iterator[GxWorker]:
    started = GxWorker.start()
    yield started
    started.stop()


def _in_process(warehouse: Path) -> list[SuiteResult]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return [run_suite(suite, con) for suite in SUITES]


def test_worker_results_equal_in_process_results_on_failing_suites(
    worker: GxWorker, broken: Callable[..., Path]
) -> None:
    warehouse = broken(*BREAKS)
    answer = worker.validate(SUITES, warehouse)
    expected = _in_process(warehouse)
    assert all(not result.success for result in expected)  # the comparison is about offending rows
    assert all(result.offending_rows for result in expected)
    assert answer.results == expected
    assert answer.import_s > 0.5  # it paid GX's import itself (seconds on this machine)
    assert not worker.alive()  # one request per worker, then it exits


def test_worker_answers_for_a_subset_in_the_order_asked(worker: GxWorker, built: Built) -> None:
    suites = [SUITES[2], SUITES[0]]
    answer = worker.validate(suites, built.warehouse)
    assert [result.check for result in answer.results] == [SUITES[2].check, SUITES[0].check]
    assert answer.results[0].offending_count == 1  # the crafted sample's quarantined file


def test_killed_worker_raises_with_the_signal(worker: GxWorker, built: Built) -> None:
    os.kill(worker.pid, signal.SIGKILL)
    with pytest.raises(WorkerFailed, match="killed by SIGKILL"):
        worker.validate(SUITES, built.warehouse)
    assert not worker.alive()


def test_worker_error_is_reported_not_hidden(worker: GxWorker, tmp_path: Path) -> None:
    with pytest.raises(WorkerFailed, match="IOException|does not exist|No such file"):
        worker.validate(SUITES, tmp_path / "missing.duckdb")


def test_worker_that_does_not_answer_in_time_is_killed(worker: GxWorker, built: Built) -> None:
    os.kill(worker.pid, signal.SIGSTOP)  # a hung worker
    with pytest.raises(WorkerFailed, match="no answer within 0.5 s"):
        worker.validate(SUITES, built.warehouse, timeout_s=0.5)
    assert not worker.alive()


def _spawn_worker_under_a_parent() -> tuple[subprocess.Popen[str], int]:
    """A parent process that starts a worker, prints its pid and waits; returns (parent, worker pid)."""
    script = (
        "import sys, time\n"
        "from expectations.prewarm import GxWorker\n"
        "worker = GxWorker.start()\n"
        "print(worker.pid, flush=True)\n"
        "time.sleep(600)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    return parent, int(parent.stdout.readline())


def _gone_within(pid: int, seconds: float) -> bool:
    """Exited: no such process, or a zombie (whoever reaps orphans here may be slow to)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return True
        if state == "Z":
            return True
        time.sleep(0.1)
    return False


def test_worker_exits_when_its_parent_dies() -> None:
    parent, pid = _spawn_worker_under_a_parent()
    try:
        parent.kill()  # SIGKILL: no atexit, no cleanup; only the pipe closing tells the worker
        parent.wait()
        assert _gone_within(pid, 60), "worker outlived its parent"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def test_worker_without_a_request_exits_on_end_of_input() -> None:
    worker = GxWorker.start()
    assert worker.proc.stdin is not None and worker.proc.stdout is not None
    ready = json.loads(worker.proc.stdout.readline())  # blocks until GX is loaded
    assert ready["ready"] > 0
    assert worker.alive()  # waiting for its request
    worker.proc.stdin.close()
    assert worker.proc.wait(timeout=30) == 0
    worker.stop()


def test_worker_that_is_never_asked_gives_up_after_its_idle_limit() -> None:
    from expectations.worker import serve

    read_end, write_end = os.pipe()  # the write end stays open and silent: a parent that never asks
    answers: list[dict[str, object]] = []
    try:
        with os.fdopen(read_end) as stdin:
            started = time.monotonic()
            assert serve(stdin, answers.append, idle_limit_s=0.2) == 0
            assert time.monotonic() - started < 30
    finally:
        os.close(write_end)
    assert [list(answer) for answer in answers] == [["ready"]]
