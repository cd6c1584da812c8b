"""Dagster side of serving: publish the audited marts to the BI serving copy, with its dashboard, in one step.

The gate is Dagster's: error-severity checks on the marts are blocking (dbt build fails on an error test; GX
checks are `blocking=True`), so when one fails in a run this step is skipped and the serving copy keeps the
previous version. The checks this run evaluated on the marts are recorded with the version.

Selected alone (from the UI), the step publishes nothing it cannot vouch for: when the working marts hold what
the newest version holds, nothing is published (the dashboard is rebuilt); when they differ, the marts were not
checked in this run, and the step fails saying so. Whatever the selection, the dashboard is rebuilt with
every publish: the serving copy and its dashboard are one multi-asset.
The GX checks include the cross-version ones (no published inspection lost), so they gate each publish too;
the Data Docs site of the GX validation is copied into the new version (`versions/<id>/data_docs/`).
"""

from collections.abc import Iterator

from dagster import (
    AssetCheckEvaluation,
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
    Config,
    DagsterEventType,
    DataVersion,
    ExecuteInProcessResult,
    Failure,
    MaterializeResult,
    MetadataValue,
    asset,
    multi_asset,
)

from config import settings
from orchestration.assets.checks import pending_data_docs
from orchestration.resources import DuckDBWarehouse
from serving.build_state import INPUTS, MARTS, inputs_fingerprint, marts_fingerprint, newest_version
from serving.check_counts import CheckCounts
from serving.dashboard import DASHBOARD_NAME, build_dashboard
from serving.postgres import MARTS as PG_MARTS
from serving.postgres import publish_to_postgres
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
UNCHANGED_TAG = "probation/serving_unchanged"


class ServingConfig(Config):
    # Publish a new version even when the marts equal the newest one (the rebuild_all job sets it).
    force: bool = False


@multi_asset(
    specs=[
        AssetSpec(
            SERVING_COPY,
            group_name="serving",
            deps=MART_KEYS,
            description="Read-only copy of the marts for BI tools (marts.duckdb + parquet/), switched atomically.",
        ),
        AssetSpec(
            DASHBOARD,
            group_name="serving",
            deps=[SERVING_COPY],
            description="Self-contained HTML dashboard of the serving copy (no network needed to view).",
        ),
    ],
    can_subset=False,
    name="serving_copy",
)
def serving_copy(
    context: AssetExecutionContext, config: ServingConfig, warehouse: DuckDBWarehouse
) -> Iterator[MaterializeResult]:
    serving = settings.serving_dir()
    checks = mart_checks_of_this_run(context)
    failed = [c["name"] for c in checks if not c["passed"] and c["severity"] == "ERROR"]
    if failed:
        raise Failure(f"blocking mart checks failed, serving copy left unchanged: {', '.join(failed)}")
    with warehouse.connect(read_only=True) as con:
        fingerprints = {INPUTS: inputs_fingerprint(con, warehouse.path), MARTS: marts_fingerprint(con, MART_TABLES)}
    newest = newest_version(serving)
    if not config.force and newest is not None and newest.fingerprints.get(MARTS) == fingerprints[MARTS]:
        # Materialised all the same, as "still version X": the copy is confirmed current, and what reads it
        # (the PostgreSQL copy) runs as after a publish instead of being skipped.
        message = f"marts unchanged since serving version {newest.id}: nothing published"
        context.log.info(message)
        context.instance.add_run_tags(context.run.run_id, {UNCHANGED_TAG: newest.id})
        version, published = newest, False
    elif not _marts_built_in_this_run(context):
        raise Failure(
            "the working marts differ from the serving copy and were not built and checked in this run: "
            "materialise the marts with it (or launch refresh_all) to publish them"
        )
    else:
        docs = pending_data_docs()  # the GX validation's Data Docs go beside the version they cleared
        extra = {DATA_DOCS: docs} if docs.is_dir() else None
        version = publish(warehouse.path, serving, MART_TABLES, checks, VERSIONS_TO_KEEP, fingerprints, extra)
        context.log.info(f"published serving version {version.id} to {serving}")
        published = True
    yield MaterializeResult(
        asset_key=SERVING_COPY,
        metadata={**_version_metadata(version, serving), "published": published},
        data_version=DataVersion(fingerprints[MARTS]),
    )
    out = build_dashboard(serving / DB_NAME, serving / DASHBOARD_NAME)
    yield MaterializeResult(
        asset_key=DASHBOARD, metadata={"path": MetadataValue.path(str(out)), "size_bytes": out.stat().st_size}
    )


def _version_metadata(version: PublishedVersion, serving) -> dict:
    counts = CheckCounts.of(version.checks)
    return {
        "version_id": version.id,
        "serving_path": MetadataValue.path(str(serving / DB_NAME)),
        "row_counts": MetadataValue.json(version.row_counts),
        "checks": MetadataValue.text(counts.text()),  # the same words as `make run` and `serving list`
        "blocking_passed": counts.blocking_passed,
        "warnings_passed": counts.warnings_passed,
        "warnings_failed": MetadataValue.json(counts.warnings_failed),
        "versions": MetadataValue.md(versions_markdown(list_versions(serving), version.id)),
    }


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
    context.log.info(f"PostgreSQL {done.location}: schema {PG_MARTS} now shows version {done.version_id}")
    yield MaterializeResult(
        metadata={
            "version_id": done.version_id,
            "database": done.location,
            "schema": f"{PG_MARTS} (views on {done.schema})",
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
            return f"postgres: published version {meta['version_id'].value} to {meta['database'].value} (schema {PG_MARTS})"
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


def _events_of_this_run(context: AssetExecutionContext, kind: DagsterEventType) -> list:
    return [record.dagster_event for record in context.instance.all_logs(context.run.run_id, of_type=kind)]


def _marts_built_in_this_run(context: AssetExecutionContext) -> bool:
    built = {event.asset_key for event in _events_of_this_run(context, DagsterEventType.ASSET_MATERIALIZATION)}
    return any(key in built for key in MART_KEYS)


def mart_checks_of_this_run(context: AssetExecutionContext) -> list[dict]:
    """The checks this run evaluated on the marts (the publish depends on them and records them)."""
    checks = []
    for event in _events_of_this_run(context, DagsterEventType.ASSET_CHECK_EVALUATION):
        evaluation: AssetCheckEvaluation = event.asset_check_evaluation_data
        if evaluation.asset_key in MART_KEYS:
            checks.append(
                {
                    "name": f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}",
                    "asset": evaluation.asset_key.to_user_string(),
                    "passed": bool(evaluation.passed),
                    "severity": evaluation.severity.value,
                    "blocking": evaluation.blocking,
                    "run_id": context.run.run_id,
                }
            )
    return sorted(checks, key=lambda check: check["name"])


def versions_markdown(versions: list[PublishedVersion], current_id: str) -> str:
    lines = ["| version | created | inspections | checks |", "|---|---|---|---|"]
    for version in reversed(versions):
        marker = " **(current)**" if version.id == current_id else ""
        lines.append(
            f"| `{version.id}`{marker} | {version.created} | {version.row_counts.get('inspections', '')} "
            f"| {CheckCounts.of(version.checks).text()} |"
        )
    return "\n".join(lines)


serving_assets = [serving_copy, postgres_copy]
