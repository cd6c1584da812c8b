"""Dagster side of serving: publish the audited marts to the BI serving copy, then rebuild the dashboard.

The gate is Dagster's: error-severity mart checks are `blocking=True`, so when one fails in a run the
serving_copy step is not executed and the serving copy keeps the previous version. As a second line of
defence serving_copy reads the latest evaluation of every mart check and refuses to publish if an
error-severity one failed on the marts' current materialisation (e.g. when it is materialised alone).
The GX checks include the cross-version ones (no published inspection lost), so they gate each publish too;
the Data Docs site of the GX validation is copied into the new version (`versions/<id>/data_docs/`).
"""

from collections.abc import Iterator

from dagster import (
    AssetCheckEvaluation,
    AssetCheckKey,
    AssetExecutionContext,
    AssetKey,
    AssetRecordsFilter,
    DagsterEventType,
    ExecuteInProcessResult,
    Failure,
    MaterializeResult,
    MetadataValue,
    asset,
)

from config import settings
from orchestration.assets.checks import pending_data_docs
from orchestration.check_history import latest_finished
from orchestration.resources import DuckDBWarehouse
from serving.build_state import FINGERPRINT_KEY, inputs_fingerprint
from serving.check_counts import CheckCounts
from serving.dashboard import DASHBOARD_NAME, build_dashboard
from serving.postgres import MARTS, publish_to_postgres
from serving.publish import (
    DATA_DOCS,
    DB_NAME,
    MART_TABLES,
    PublishedVersion,
    current_version,
    list_versions,
    publish,
)

SERVING_COPY = AssetKey(["serving", "marts"])
DASHBOARD = AssetKey(["serving", "dashboard"])
POSTGRES = AssetKey(["serving", "postgres"])
MART_KEYS = [AssetKey(["marts", table]) for table in MART_TABLES]
VERSIONS_TO_KEEP = 5


@asset(
    key=SERVING_COPY,
    group_name="serving",
    deps=MART_KEYS,
    description="Read-only copy of the marts for BI tools (marts.duckdb + parquet/), switched atomically.",
)
def serving_copy(context: AssetExecutionContext, warehouse: DuckDBWarehouse) -> MaterializeResult:
    checks = mart_check_results(context)
    failed = [c["name"] for c in checks if not c["passed"] and c["severity"] == "ERROR"]
    if failed:
        raise Failure(f"blocking mart checks failed, serving copy left unchanged: {', '.join(failed)}")
    serving = settings.serving_dir()
    with warehouse.connect(read_only=True) as con:
        fingerprint = inputs_fingerprint(con, warehouse.path)
    docs = pending_data_docs()  # the GX validation's Data Docs go beside the version they cleared
    extra = {DATA_DOCS: docs} if docs.is_dir() else None
    version = publish(warehouse.path, serving, MART_TABLES, checks, keep=VERSIONS_TO_KEEP, extra_dirs=extra)
    counts = CheckCounts.of(checks)
    context.log.info(f"published serving version {version.id} to {serving}")
    return MaterializeResult(
        metadata={
            "version_id": version.id,
            "serving_path": MetadataValue.path(str(serving / DB_NAME)),
            "row_counts": MetadataValue.json(version.row_counts),
            "checks": MetadataValue.text(counts.text()),  # the same words as `make run` and `serving list`
            "blocking_passed": counts.blocking_passed,
            "warnings_passed": counts.warnings_passed,
            "warnings_failed": MetadataValue.json(counts.warnings_failed),
            "versions": MetadataValue.md(versions_markdown(list_versions(serving), version.id)),
            FINGERPRINT_KEY: fingerprint,  # lets the next refresh stop early when nothing changed
        }
    )


@asset(
    key=DASHBOARD,
    group_name="serving",
    deps=[SERVING_COPY],
    description="Self-contained HTML dashboard of the serving copy (no network needed to view).",
)
def dashboard(context: AssetExecutionContext) -> MaterializeResult:
    serving = settings.serving_dir()
    out = build_dashboard(serving / DB_NAME, serving / DASHBOARD_NAME)
    context.log.info(f"dashboard written to {out}")
    return MaterializeResult(metadata={"path": MetadataValue.path(str(out)), "size_bytes": out.stat().st_size})


@asset(
    key=POSTGRES,
    group_name="serving",
    deps=[SERVING_COPY],
    output_required=False,
    description="The serving copy's current version in PostgreSQL (schema marts) for BI servers; "
    "only when PROBATION_SERVING_POSTGRES_URL is set.",
)
def postgres_copy(context: AssetExecutionContext) -> Iterator[MaterializeResult]:
    """Load the DuckDB serving copy's current version into PostgreSQL and switch `marts` to it.

    Its own asset so that a database that is down or refuses fails only this step: the DuckDB serving
    copy and the dashboard do not depend on it. Without the setting it yields nothing (no materialisation,
    no INFO output), so a run without PostgreSQL looks exactly as before.
    """
    url = settings.serving_postgres_url()
    if not url:
        context.log.debug("PROBATION_SERVING_POSTGRES_URL is not set: nothing published to PostgreSQL")
        return
    version = current_version(settings.serving_dir())
    if version is None:
        raise Failure(f"no serving version in {settings.serving_dir()} to publish to PostgreSQL")
    done = publish_to_postgres(url, version, keep=VERSIONS_TO_KEEP)
    context.log.info(f"PostgreSQL {done.location}: schema {MARTS} now shows version {done.version_id}")
    yield MaterializeResult(
        metadata={
            "version_id": done.version_id,
            "database": done.location,
            "schema": f"{MARTS} (views on {done.schema})",
            "row_counts": MetadataValue.json(done.row_counts),
            "loaded": done.loaded,
            "switch_lock_ms": MetadataValue.float(done.switch_lock_ms)
            if done.switch_lock_ms is not None
            else "no switch",
        }
    )


def postgres_publish_line(result: ExecuteInProcessResult) -> str | None:
    """One line for `make run`: where the run published in PostgreSQL, or why not; None when it is not set up."""
    if not settings.serving_postgres_url():
        return None
    for event in result.get_asset_materialization_events():
        if event.asset_key == POSTGRES:
            meta = event.materialization.metadata
            return (
                f"postgres: published version {meta['version_id'].value} to {meta['database'].value} (schema {MARTS})"
            )
    for event in result.all_events:
        if event.event_type == DagsterEventType.STEP_FAILURE and event.step_key == postgres_copy.op.name:
            error = event.step_failure_data.error
            while error.cause is not None and error.cls_name.startswith("Dagster"):
                error = error.cause  # Dagster's wrapper -> the error the asset raised
            return f"postgres: NOT published: {error.message.strip().split(': ', 1)[-1]}"
    return (
        "postgres: not published (the serving copy was not published in this run; "
        "`inspections serving postgres` brings PostgreSQL to the current serving version)"
    )


def mart_check_results(context: AssetExecutionContext) -> list[dict]:
    """The latest evaluation of every check on the marts that targets their current materialisation.

    Evaluations of an older materialisation are left out: they audited data that is no longer there.
    """
    check_keys = sorted(_mart_check_keys(context), key=lambda k: k.to_user_string())
    latest_storage = {key: _latest_materialization_id(context, key) for key in MART_KEYS}
    results = []
    for key in check_keys:
        record = latest_finished(context.instance, key)
        evaluation = record.evaluation if record else None
        if evaluation is None:
            continue  # never finished: nothing audited
        target = evaluation.target_materialization_data
        if target is not None and target.storage_id != latest_storage[key.asset_key]:
            continue
        results.append(_check_dict(key, evaluation, record.run_id))
    return results


def _mart_check_keys(context: AssetExecutionContext) -> set[AssetCheckKey]:
    """Checks on the marts: all of the code location's when known, else those of this job.

    The code location's graph also covers serving_copy materialised alone from the UI; under
    `materialize`/`execute_in_process` there is no repository, and the job's own graph is what ran.
    """
    try:
        graph = context.repository_def.asset_graph
    except Exception:  # Dagster raises its internal CheckError when no repository is attached
        graph = context.job_def.asset_layer.asset_graph
    return {key for key in graph.asset_check_keys if key.asset_key in MART_KEYS}


def _latest_materialization_id(context: AssetExecutionContext, key: AssetKey) -> int | None:
    records = context.instance.fetch_materializations(AssetRecordsFilter(asset_key=key), limit=1).records
    return records[0].storage_id if records else None


def _check_dict(key: AssetCheckKey, evaluation: AssetCheckEvaluation, run_id: str) -> dict:
    return {
        "name": key.to_user_string(),
        "asset": key.asset_key.to_user_string(),
        "passed": bool(evaluation.passed),
        "severity": evaluation.severity.value,
        "blocking": evaluation.blocking,
        "run_id": run_id,
    }


def versions_markdown(versions: list[PublishedVersion], current_id: str) -> str:
    lines = ["| version | created | inspections | checks |", "|---|---|---|---|"]
    for version in reversed(versions):
        marker = " **(current)**" if version.id == current_id else ""
        lines.append(
            f"| `{version.id}`{marker} | {version.created} | {version.row_counts.get('inspections', '')} "
            f"| {CheckCounts.of(version.checks).text()} |"
        )
    return "\n".join(lines)


serving_assets = [serving_copy, dashboard, postgres_copy]
