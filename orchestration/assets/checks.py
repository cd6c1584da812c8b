"""Dagster asset checks running the GX suites of `expectations/` on the working warehouse.

One Dagster step validates every suite on one read-only connection (GX's import and context are paid once per
run, not once per suite) and still reports one asset check per suite, attached to the raw table it guards, with
its offending rows. In a run that also builds dbt, the suites are validated by the GX worker process that the
dbt step started (orchestration/gx_worker.py): GX's import overlapped dbt, and this step pays only the
validation. Without one (a checks-only run), or when it fails, the step validates in its own process as before,
with a warning naming the failure; the results are the same either way. Severity comes from
expectations/policy.py; error-severity checks on marts would block the publish (the suites guard raw tables
only today: mart rules are dbt tests). A UI selection of some of the checks runs only those. Definitions are
wired in by definitions.py (not here).
"""

# No `from __future__ import annotations`: Dagster reads the check function's annotations at runtime.
from collections.abc import Iterable, Iterator

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckKey,
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetKey,
    MetadataValue,
    multi_asset_check,
)

from expectations import SUITES, Suite, SuiteResult, is_blocking, run_suite
from expectations.prewarm import WorkerFailed
from orchestration import gx_worker
from orchestration.resources import DuckDBWarehouse

_SEVERITY = {"error": AssetCheckSeverity.ERROR, "warn": AssetCheckSeverity.WARN}


def check_key(suite: Suite) -> AssetCheckKey:
    return AssetCheckKey(AssetKey(list(suite.asset)), suite.dagster_name)


def check_spec(suite: Suite) -> AssetCheckSpec:
    return AssetCheckSpec(
        name=suite.dagster_name,
        asset=AssetKey(list(suite.asset)),
        description=f"[GX, {suite.check}] {suite.description}",
        blocking=suite.schema == "marts" and is_blocking(suite.check),
        metadata={"policy": suite.check},
    )


def check_result(suite: Suite, result: SuiteResult) -> AssetCheckResult:
    """Translate a suite result into Dagster's check result and metadata."""
    return AssetCheckResult(
        asset_key=AssetKey(list(suite.asset)),
        check_name=suite.dagster_name,
        passed=result.success,
        severity=_SEVERITY[result.severity],
        metadata={
            "table": result.table,
            "policy": result.severity,
            "row_count": MetadataValue.int(result.row_count),
            "offending_count": MetadataValue.int(result.offending_count),
            "failed_expectations": MetadataValue.json(result.failed_expectations),
            "offending_rows": MetadataValue.md(result.offending_markdown()),
        },
    )


def gx_results(suites: Iterable[Suite], warehouse: DuckDBWarehouse) -> Iterator[AssetCheckResult]:
    """Validate the suites one after another on one connection, yielding each result as it is known."""
    # Read-only: checks may run while nothing else writes, and must never write themselves.
    with warehouse.connect(read_only=True) as con:
        for suite in suites:
            yield check_result(suite, run_suite(suite, con))


def prewarmed_results(
    context: AssetCheckExecutionContext, suites: list[Suite], warehouse: DuckDBWarehouse
) -> Iterator[AssetCheckResult]:
    """The worker's results when this run's dbt step started one; in-process validation otherwise."""
    started = gx_worker.take(context.run.run_id)
    answer = None
    if started is not None:
        try:
            if started.worker is None:
                raise WorkerFailed(started.failure or "it was not started")
            answer = started.worker.validate(suites, warehouse.path)
        except WorkerFailed as failure:
            context.log.warning(f"GX worker failed: {failure}; validating the GX suites in the run's process instead")
        finally:
            started.stop()
    if answer is None:
        yield from gx_results(suites, warehouse)
        return
    context.log.info(
        f"GX suites validated by the GX worker process in {answer.validate_s:.2f} s "
        f"(its GX import, {answer.import_s:.2f} s, overlapped the dbt step)"
    )
    for suite, result in zip(suites, answer.results, strict=True):
        yield check_result(suite, result)


@multi_asset_check(
    specs=[check_spec(suite) for suite in SUITES],
    name=gx_worker.GX_STEP,
    description="Every Great Expectations suite on the raw tables, validated in one step (one check each).",
    can_subset=True,
    # Its teardown stops this run's GX worker when the run ends before this step (e.g. dbt failed).
    resource_defs={"gx_worker_lifetime": gx_worker.GxWorkerLifetime()},
)
def gx_checks(
    context: AssetCheckExecutionContext, warehouse: DuckDBWarehouse, gx_worker_lifetime: gx_worker.GxWorkerLifetime
) -> Iterator[AssetCheckResult]:
    selected = context.selected_asset_check_keys
    yield from prewarmed_results(context, [suite for suite in SUITES if check_key(suite) in selected], warehouse)


gx_asset_checks: list[AssetChecksDefinition] = [gx_checks]
