"""Dagster asset checks running the GX suites of `expectations/` on the working warehouse.

One check per suite, attached to the raw table or mart it guards. Severity comes from
expectations/policy.py; error-severity checks on marts are blocking, so a failed one stops the publish.
Definitions are wired in by definitions.py (not here).
"""

# No `from __future__ import annotations`: Dagster reads the check functions' resource annotations at runtime.
from dagster import (
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
    AssetKey,
    MetadataValue,
    asset_check,
)

from expectations import SUITES, Suite, SuiteResult, is_blocking, run_suite
from orchestration.resources import DuckDBWarehouse

_SEVERITY = {"error": AssetCheckSeverity.ERROR, "warn": AssetCheckSeverity.WARN}


def check_result(result: SuiteResult) -> AssetCheckResult:
    """Translate a suite result into Dagster's check result and metadata."""
    return AssetCheckResult(
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


def run_on_warehouse(suite: Suite, warehouse: DuckDBWarehouse) -> SuiteResult:
    # Read-only: checks may run while nothing else writes, and must never write themselves.
    with warehouse.connect(read_only=True) as con:
        return run_suite(suite, con)


def build_asset_check(suite: Suite) -> AssetChecksDefinition:
    @asset_check(
        asset=AssetKey(list(suite.asset)),
        name=suite.dagster_name,
        description=f"[GX, {suite.check}] {suite.description}",
        blocking=suite.schema == "marts" and is_blocking(suite.check),
        metadata={"policy": suite.check},
    )
    def _check(warehouse: DuckDBWarehouse) -> AssetCheckResult:
        return check_result(run_on_warehouse(suite, warehouse))

    return _check


gx_asset_checks: list[AssetChecksDefinition] = [build_asset_check(suite) for suite in SUITES]
