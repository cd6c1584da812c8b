"""A pool of parse worker processes (parse_worker.py), one file at a time per worker.

Why not concurrent.futures.ProcessPoolExecutor: the loader runs inside a Dagster run process that
has threads, so `fork` could copy a lock held by another thread into a child and hang it; `spawn`
and `forkserver` children re-import the parent's main module before any work (`python -m cli.run`
means Dagster and the whole code location again: ~2.3 s and ~300 MiB per worker). A worker here is
a fresh interpreter that imports only the parser. It also knows which file each worker holds, so
when a worker dies (killed, crashed, out of memory) exactly that file is retried on a fresh worker
and, if its worker dies again, quarantined; the other files in flight are not disturbed, where a
broken ProcessPoolExecutor fails every pending future. See docs/parallel_parsing.md.
"""

from __future__ import annotations

import select
import signal
import subprocess
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from config.processes import start_project_module
from ingestion.extract.limits import FileLimits
from ingestion.load.parse_step import ParseOutcome
from ingestion.load.parse_worker import read_frame, write_frame

# A file whose worker dies this many times is quarantined: once may be the machine (the OOM killer
# picks a process, an operator kills one), twice on a fresh worker is the file.
DEATHS_BEFORE_QUARANTINE = 2


@dataclass
class _Job:
    key: int
    path: Path
    relative: str
    data: bytes  # kept until the outcome arrives: a worker that dies takes its copy with it
    deaths: list[str] = field(default_factory=list)  # how each worker that held it ended


class _Worker:
    def __init__(self, limits: FileLimits) -> None:
        self.proc = start_project_module("ingestion.load.parse_worker", stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.job: _Job | None = None
        self.limits = limits
        self._sent_limits = False

    def fileno(self) -> int:
        assert self.proc.stdout is not None
        return self.proc.stdout.fileno()

    def alive(self) -> bool:
        return self.proc.poll() is None

    def send(self, job: _Job) -> None:
        """Raises OSError (BrokenPipeError) when the worker has died."""
        assert self.proc.stdin is not None
        self.job = job
        if not self._sent_limits:
            write_frame(self.proc.stdin, self.limits)
            self._sent_limits = True
        write_frame(self.proc.stdin, (job.path, job.relative, job.data))

    def receive(self) -> ParseOutcome:
        """Raises EOFError when the worker has died."""
        assert self.proc.stdout is not None
        return read_frame(self.proc.stdout)

    def how_it_ended(self) -> str:
        try:
            code = self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:  # its pipe broke but it lingers: make sure it is gone
            self.proc.kill()
            code = self.proc.wait()
        self._close_pipes()
        if code < 0:
            return f"killed by {signal.Signals(-code).name}"
        return f"exited with status {code}"

    def stop(self) -> None:
        """Idle workers end at the end of their input; one still parsing is killed (the sync is over)."""
        if self.job is not None:
            self.proc.kill()
        try:
            if self.proc.stdin is not None:
                self.proc.stdin.close()
        except OSError:
            pass  # already gone
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._close_pipes()

    def _close_pipes(self) -> None:
        for pipe in (self.proc.stdin, self.proc.stdout):
            try:
                if pipe is not None:
                    pipe.close()
            except OSError:
                pass


class ParsePool:
    """Files go in with `submit(key, ...)`; `result(key)` waits for that file's ParseOutcome.

    Workers start on demand, up to `size`, each holding one file; further files wait in a queue here
    (the caller bounds how many it submits). Use as a context manager: leaving it ends every worker.
    """

    def __init__(self, size: int, limits: FileLimits) -> None:
        self.size, self.limits = size, limits
        self.started = 0  # workers started, replacements included
        self._idle: list[_Worker] = []
        self._busy: dict[int, _Worker] = {}  # by the fd of its answers
        self._queue: deque[_Job] = deque()
        self._done: dict[int, ParseOutcome] = {}

    def __enter__(self) -> ParsePool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def submit(self, key: int, path: Path, relative: str, data: bytes) -> None:
        self._queue.append(_Job(key, path, relative, data))
        self._dispatch()

    def result(self, key: int) -> ParseOutcome:
        while key not in self._done:
            self._dispatch()
            self._collect()
        return self._done.pop(key)

    def close(self) -> None:
        for worker in [*self._idle, *self._busy.values()]:
            worker.stop()
        self._idle.clear()
        self._busy.clear()

    def _worker(self) -> _Worker:
        while self._idle:
            worker = self._idle.pop()
            if worker.alive():
                return worker
            worker.how_it_ended()  # died while idle: no file to blame, just reap it
        self.started += 1
        return _Worker(self.limits)

    def _dispatch(self) -> None:
        while self._queue and (self._idle or len(self._busy) < self.size):
            job, worker = self._queue.popleft(), self._worker()
            try:
                worker.send(job)
            except OSError:
                self._died(worker, job)
                continue
            self._busy[worker.fileno()] = worker

    def _collect(self) -> None:
        """Wait until at least one busy worker answers or dies."""
        ready, _, _ = select.select(list(self._busy), [], [])
        for fd in ready:
            worker = self._busy.pop(fd)
            job, worker.job = worker.job, None
            assert job is not None
            try:
                outcome = worker.receive()
            except EOFError:
                self._died(worker, job)
                continue
            self._done[job.key] = outcome
            self._idle.append(worker)

    def _died(self, worker: _Worker, job: _Job) -> None:
        job.deaths.append(worker.how_it_ended())
        if len(job.deaths) >= DEATHS_BEFORE_QUARANTINE:
            self._done[job.key] = (
                None,
                f"parse worker died on this file {len(job.deaths)} times ({'; '.join(job.deaths)}): "
                "a crash or a memory or CPU limit while parsing it",
            )
        else:
            self._queue.appendleft(job)  # once may be the machine: again, on a fresh worker
