"""The code location's executor: in-process steps, one refresh of the warehouse at a time.

Runs launched by the UI, the schedule or the sensor execute through this executor; it takes the
warehouse's refresh lock (config/locks.py) before the first step and holds it until the
last, so such a run and `make run` (which takes the same lock itself) never write the warehouse
together. A run that finds the lock taken fails at once, before any step, with
"another refresh is running (pid N)": it materialises nothing and evaluates no check.
"""

from __future__ import annotations

from collections.abc import Iterator

from dagster import executor, in_process_executor
from dagster._core.events import DagsterEvent
from dagster._core.execution.context.system import PlanOrchestrationContext
from dagster._core.execution.plan.plan import ExecutionPlan
from dagster._core.executor.in_process import InProcessExecutor

from config import settings
from config.locks import refresh_lock


class _OneRefreshAtATime(InProcessExecutor):
    def execute(self, plan_context: PlanOrchestrationContext, execution_plan: ExecutionPlan) -> Iterator[DagsterEvent]:
        with refresh_lock(settings.warehouse_path()):
            yield from super().execute(plan_context, execution_plan)


@executor(name="in_process_one_refresh_at_a_time", config_schema=in_process_executor.config_schema)
def one_refresh_at_a_time_executor(init_context) -> InProcessExecutor:
    inner = in_process_executor.executor_creation_fn(init_context)
    return _OneRefreshAtATime(
        retries=inner.retries,
        step_dependency_config=inner.step_dependency_config,
        marker_to_close=inner.marker_to_close,
    )
