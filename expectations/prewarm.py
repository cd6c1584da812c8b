"""The client side of the GX validation worker (expectations/worker.py): start it early, ask it later.

`GxWorker.start()` launches `python -m expectations.worker` (a fresh interpreter that imports GX and pandas
while the caller does other work); `validate(suites, warehouse)` sends the one request and rebuilds the
SuiteResults, equal to what `run_suite` returns in-process. Any failure (the worker died, was killed, timed
out, answered nonsense or reported an error) raises WorkerFailed with the reason, and the worker is gone
afterwards: the caller validates in its own process instead. Plain Python, no Dagster.
"""

from __future__ import annotations

import json
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from config.processes import start_project_module
from config.settings import PROJECT_ROOT
from expectations.runner import SuiteResult
from expectations.suites import Suite

# The whole wait: what is left of the import (dbt may finish first) plus the validation, ~0.5 s at 1,000
# reports. Far longer means a hung worker, and in-process validation is the better bet.
ANSWER_TIMEOUT_S = 120.0


class WorkerFailed(RuntimeError):
    """The worker gave no usable answer; the message says why."""


@dataclass(frozen=True)
class WorkerAnswer:
    results: list[SuiteResult]
    import_s: float  # the worker's GX import and context, paid outside the asking step when it was ready
    validate_s: float


class GxWorker:
    def __init__(self, proc: subprocess.Popen[bytes], stderr: IO[bytes]) -> None:
        self.proc = proc
        self.stderr = stderr  # the worker's stderr, read for the reason when it ends without an answer

    @classmethod
    def start(cls) -> GxWorker:
        """Raises OSError when the process cannot be started."""
        # stderr goes to a file, not a pipe: nobody reads it until the answer, and a full pipe (GX's warnings)
        # would block the worker until the answer timed out.
        stderr = tempfile.TemporaryFile()  # noqa: SIM115 - kept open by the worker object, closed by stop()
        try:
            proc = start_project_module(
                "expectations.worker", stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, cwd=PROJECT_ROOT
            )
        except OSError:
            stderr.close()
            raise
        return cls(proc, stderr)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.poll() is None

    def validate(self, suites: Sequence[Suite], warehouse: Path, timeout_s: float = ANSWER_TIMEOUT_S) -> WorkerAnswer:
        """The suites' results, in order. Raises WorkerFailed; the worker has exited either way."""
        request = json.dumps({"warehouse": str(warehouse), "checks": [suite.check for suite in suites]})
        try:
            out, _ = self.proc.communicate((request + "\n").encode(), timeout=timeout_s)
        except subprocess.TimeoutExpired:
            self.stop()
            raise WorkerFailed(f"no answer within {timeout_s:g} s") from None
        except OSError as error:
            self.stop()
            raise WorkerFailed(f"could not talk to it: {error}") from error
        messages = _messages(out)
        answer = messages[-1] if messages else {}
        if "results" not in answer:
            raise WorkerFailed(answer.get("error") or self._how_it_ended())
        results = [SuiteResult.from_json(data) for data in answer["results"]]
        if [result.check for result in results] != [suite.check for suite in suites]:
            raise WorkerFailed("it answered for other checks than were asked")
        return WorkerAnswer(results, float(messages[0].get("ready", 0.0)), float(answer.get("seconds", 0.0)))

    def stop(self) -> None:
        """Kill it if it still runs, and reap it (no zombie)."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for pipe in (self.proc.stdin, self.proc.stdout, self.stderr):
            if pipe is not None and not pipe.closed:
                pipe.close()

    def _how_it_ended(self) -> str:
        code = self.proc.returncode
        ended = f"killed by {signal.Signals(-code).name}" if code < 0 else f"exited with status {code}"
        self.stderr.seek(0)
        last = self.stderr.read().decode(errors="replace").strip().splitlines()[-1:]
        return f"it {ended} without an answer" + (f" ({last[0]})" if last else "")


def _messages(out: bytes) -> list[dict[str, Any]]:
    messages = []
    for line in out.decode(errors="replace").splitlines():
        try:
            message = json.loads(line)
        except json.JSONDecodeError:
            continue  # not ours: the worker sends only JSON lines
        if isinstance(message, dict):
            messages.append(message)
    return messages
