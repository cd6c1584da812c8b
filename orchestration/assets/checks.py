"""Dagster asset checks running the GX suites of `expectations/` on the working warehouse.

One Dagster step validates every selected suite on one read-only connection (GX's import and context are paid
once per run, not once per suite) and reports one asset check per suite, on the mart it guards (the
quarantine check on raw.reports), with its offending rows. The cross-version suites compare the marts with
the current serving version (`current/marts.duckdb`). Error-severity checks on marts are `blocking`: a
failure skips the serving assets, and serving_copy refuses a publish over a failed one. The step also writes
GX's Data Docs site of its validation to PENDING_DATA_DOCS; the publish copies it into the new version.
Severity comes from expectations/policy.py. Definitions are wired in by definitions.py (not here).
"""

# No `from __future__ import annotations`: Dagster reads the check function's annotations at runtime.
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

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

from config import settings
from expectations import SUITES, Suite, SuiteResult, is_blocking, validate_suites
from orchestration.resources import DuckDBWarehouse
from serving.publish import CURRENT, DB_NAME

GX_STEP = "gx_checks"
_SEVERITY = {"error": AssetCheckSeverity.ERROR, "warn": AssetCheckSeverity.WARN}


def pending_data_docs() -> Path:
    """The Data Docs of the latest GX validation, waiting beside the warehouse for the next publish."""
    return settings.serving_dir() / ".gx_data_docs"


def published_marts() -> Path:
    """The serving version BI tools read now (the cross-version suites' baseline)."""
    return settings.serving_dir() / CURRENT / DB_NAME


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
    metadata = {
        "table": result.table,
        "policy": result.severity,
        "row_count": MetadataValue.int(result.row_count),
        "offending_count": MetadataValue.int(result.offending_count),
        "failed_expectations": MetadataValue.json(result.failed_expectations),
        "offending_rows": MetadataValue.md(result.offending_markdown()),
    }
    if result.note:
        metadata["note"] = MetadataValue.text(result.note)
    return AssetCheckResult(
        asset_key=AssetKey(list(suite.asset)),
        check_name=suite.dagster_name,
        passed=result.success,
        severity=_SEVERITY[result.severity],
        description=result.note,
        metadata=metadata,
    )


def gx_results(suites: list[Suite], warehouse: DuckDBWarehouse, data_docs: Path | None = None) -> list[SuiteResult]:
    """Validate the suites on one read-only connection; write their Data Docs site into `data_docs`."""
    published = published_marts()
    # Read-only: checks may run while nothing else writes, and must never write themselves.
    with warehouse.connect(read_only=True) as con:
        return validate_suites(suites, con, published if published.is_file() else None, data_docs)


def _replace_folder(built: Path, final: Path) -> None:
    old = final.with_name(final.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        os.replace(final, old)
    os.replace(built, final)
    shutil.rmtree(old, ignore_errors=True)


@multi_asset_check(
    specs=[check_spec(suite) for suite in SUITES],
    name=GX_STEP,
    description="Every Great Expectations suite (marts, across versions, quarantine), validated in one step.",
    can_subset=True,
)
def gx_checks(context: AssetCheckExecutionContext, warehouse: DuckDBWarehouse) -> Iterator[AssetCheckResult]:
    selected = context.selected_asset_check_keys
    suites = [suite for suite in SUITES if check_key(suite) in selected]
    final = pending_data_docs()
    built = final.with_name(f"{final.name}.{os.getpid()}.tmp")
    shutil.rmtree(built, ignore_errors=True)
    results = gx_results(suites, warehouse, built)
    _replace_folder(built, final)  # what the next publish copies: this validation's site, complete
    context.log.info(f"GX Data Docs of this validation: {final / 'index.html'}")
    for suite, result in zip(suites, results, strict=True):
        yield check_result(suite, result)


gx_asset_checks: list[AssetChecksDefinition] = [gx_checks]
