"""The GX validation worker of the run in this process: the dbt step starts it, the gx_checks step uses it.

A refresh that builds runs dbt (~10 s on one core) and then the GX checks, most of whose cost used to be
importing GX and pandas. The dbt step calls `start(context)`, which launches expectations/worker.py when the
run also plans the gx_checks step; the worker imports GX on the other core while dbt builds. The gx_checks step
`take`s it (only a worker started by its own run) and stops it when done. A run that ends without its checks
(dbt failed) stops it too: `GxWorkerLifetime`, a resource of the gx_checks step, so set up in every run that
plans that step (the only runs that start a worker), is torn down when the run ends, whatever happened. Behind
that: the next `start`, interpreter exit (atexit), and the worker itself when its stdin closes (this process
died) or after IDLE_LIMIT_S.
"""

from __future__ import annotations

import atexit
import os
import threading
from dataclasses import dataclass

from dagster import AssetExecutionContext, ConfigurableResource, InitResourceContext

from expectations.prewarm import GxWorker

GX_STEP = "gx_checks"  # the step key of the GX asset checks (orchestration/assets/checks.py)
# "0" validates in the run's own process as before issue 16's worker: saves the worker's memory while dbt
# runs (~RSS of GX and pandas) at the cost of GX's import in the gx_checks step; bench/gx_prewarm.py compares.
ENABLED_ENV = "PROBATION_GX_WORKER"


def enabled() -> bool:
    return os.environ.get(ENABLED_ENV, "1").strip().lower() not in {"0", "false", "no", "off"}


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
    if GX_STEP not in plan.step_keys_to_execute or not enabled():
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


def stop(run_id: str | None = None) -> None:
    """Stop the worker (only the given run's, when run_id is given)."""
    global _current
    with _lock:
        started = _current
        if started is None or (run_id is not None and started.run_id != run_id):
            return
        _current = None
    started.stop()


class GxWorkerLifetime(ConfigurableResource):
    """Ends the run's worker with the run: Dagster tears a run's resources down even when a step failed."""

    def teardown_after_execution(self, context: InitResourceContext) -> None:
        if context.run is not None:
            stop(context.run.run_id)


atexit.register(stop)
