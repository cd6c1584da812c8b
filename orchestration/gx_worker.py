"""The GX validation worker of the run in this process: the dbt step starts it, the gx_checks step uses it.

A refresh that builds runs dbt (~10 s on one core) and then the GX checks, most of whose cost used to be
importing GX and pandas. The dbt step calls `start(context)`, which launches expectations/worker.py when the
run also plans the gx_checks step; the worker imports GX on the other core while dbt builds. The gx_checks step
`take`s it (only a worker started by its own run) and stops it when done. Nothing else holds it: a worker left
over from a run that failed before its checks is stopped by the next `start`, at interpreter exit (atexit),
and by itself when this process's end of its stdin closes.
"""

from __future__ import annotations

import atexit
import threading
from dataclasses import dataclass

from dagster import AssetExecutionContext

from expectations.prewarm import GxWorker

GX_STEP = "gx_checks"  # the step key of the GX asset checks (orchestration/assets/checks.py)


@dataclass
class StartedWorker:
    run_id: str
    worker: GxWorker | None  # None: it could not be started, `failure` says why
    failure: str | None = None

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.stop()


_current: StartedWorker | None = None
_lock = threading.Lock()


def start(context: AssetExecutionContext) -> None:
    """Start this run's worker, unless the run will not validate the GX suites (e.g. a UI run of dbt only)."""
    global _current
    plan = context.get_step_execution_context().execution_plan
    if GX_STEP not in plan.step_keys_to_execute:
        return
    stop()  # a worker of an earlier run of this process that never got to its checks
    try:
        started = StartedWorker(context.run.run_id, GxWorker.start())
    except OSError as error:
        started = StartedWorker(context.run.run_id, None, f"it could not be started: {error}")
    with _lock:
        _current = started


def take(run_id: str) -> StartedWorker | None:
    """This run's worker, now the caller's to stop; None when this run started none (a checks-only run)."""
    global _current
    with _lock:
        started, _current = _current, None
    if started is not None and started.run_id != run_id:
        started.stop()  # an earlier run's: useless to this one
        return None
    return started


def stop() -> None:
    global _current
    with _lock:
        started, _current = _current, None
    if started is not None:
        started.stop()


atexit.register(stop)
