"""Ingestion assets: landing folder -> raw tables (one multi-asset, one DuckDB transaction)."""

from collections.abc import Iterator

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetObservation,
    AssetSpec,
    Config,
    MaterializeResult,
    MetadataValue,
    multi_asset,
)

from config.settings import reports_dir
from ingestion.load.loader import sync_landing_folder
from ingestion.load.raw_tables import RAW_SCHEMA, RAW_TABLES
from orchestration import unchanged
from orchestration.resources import DuckDBWarehouse
from serving.build_state import FINGERPRINT_KEY, inputs_fingerprint, marts_are_built

RAW_DESCRIPTIONS = {
    "report_files": "Every landing-folder path seen: its current content hash, status and presence.",
    "reports": "One row per parsed file version (keyed by content hash), with the full parse JSON.",
    "standards": "Rated standards of each parsed version.",
    "key_questions": "Key-question percentages, the unrated Outcomes question included.",
    "recommendations": "Numbered recommendations with recipient and level.",
    "findings": "Strength and improvement bullets per standard.",
    "parse_warnings": "Disagreements and domain-rule breaks found while parsing (never silently fixed).",
    "quarantine": "Files that could not be parsed, with their hash and reason.",
}

raw_specs = [
    AssetSpec(
        AssetKey([RAW_SCHEMA, table]),
        group_name="ingestion",
        description=RAW_DESCRIPTIONS[table],
        deps=[AssetKey(["landing_reports"])],
        kinds={"duckdb", "python"},
        # Not yielded when nothing changed since the last publish: the rest of the run is then skipped.
        skippable=True,
    )
    for table in RAW_TABLES
]


class RawTablesConfig(Config):
    force: bool = False  # rebuild downstream even when nothing changed since the last publish


def _published_fingerprint(context: AssetExecutionContext) -> str | None:
    event = context.instance.get_latest_materialization_event(AssetKey(["serving", "marts"]))
    if event is None or event.asset_materialization is None:
        return None
    value = event.asset_materialization.metadata.get(FINGERPRINT_KEY)
    return getattr(value, "value", None)


def _nothing_changed(context: AssetExecutionContext, warehouse: DuckDBWarehouse) -> bool:
    with warehouse.connect(read_only=True) as con:
        if not marts_are_built(con):
            return False
        return inputs_fingerprint(con, warehouse.path) == _published_fingerprint(context)


def _report_unchanged(context: AssetExecutionContext) -> Iterator[AssetObservation]:
    """Make the early stop visible: run tag, an observation per raw table, checks keep their last result."""
    version = unchanged.published_version_id(context)
    unchanged.tag_run(context, version)
    why = f"inputs {unchanged.unchanged_message(version)}"
    carried = unchanged.carry_over_check_results(context, unchanged.planned_checks(context), why)
    context.log.info(
        f"nothing changed since the last published refresh (serving version {version}; same files, parser and "
        f"dbt project): dbt, checks and publish are skipped, {carried} checks keep their last result. "
        "To rebuild anyway, launch the rebuild_all job"
    )
    for table in RAW_TABLES:
        yield AssetObservation(
            asset_key=AssetKey([RAW_SCHEMA, table]),
            description=unchanged.unchanged_message(version),
            metadata={
                "status": MetadataValue.text(unchanged.unchanged_message(version)),
                "serving_version": MetadataValue.text(version or "unknown"),
            },
        )


@multi_asset(specs=raw_specs, can_subset=False)
def raw_tables(
    context: AssetExecutionContext, config: RawTablesConfig, warehouse: DuckDBWarehouse
) -> Iterator[MaterializeResult | AssetObservation]:
    """Parse new or changed report files from the landing folder into the raw tables."""
    landing = reports_dir()
    summary = sync_landing_folder(warehouse.path, landing)
    workers = f"{summary.parse_workers} parse workers" if summary.parse_workers else "parsed in this process"
    context.log.info(
        f"{summary.scanned} files: {summary.parsed} parsed ({workers}), {summary.unchanged} unchanged, "
        f"{len(summary.quarantined)} quarantined, {summary.missing} no longer present (data kept)"
    )
    for file, reason in summary.quarantined:
        context.log.warning(f"quarantined {file}: {reason}")
    for file, reason in summary.skipped:
        context.log.warning(f"skipped {file}: {reason}")
    if not config.force and _nothing_changed(context, warehouse):
        yield from _report_unchanged(context)
        return
    with warehouse.connect(read_only=True) as con:
        for table in RAW_TABLES:
            metadata = warehouse.table_metadata(con, RAW_SCHEMA, table)
            metadata["rows_written_this_run"] = MetadataValue.int(summary.rows_written.get(table, 0))
            if table == "report_files":
                metadata |= {
                    "landing_folder": MetadataValue.path(str(landing)),
                    "files_scanned": summary.scanned,
                    "files_parsed": summary.parsed,
                    "parse_workers": summary.parse_workers,
                    "files_unchanged": summary.unchanged,
                    "files_quarantined": len(summary.quarantined),
                    "files_missing": summary.missing,
                    "files_skipped": MetadataValue.json([f"{file}: {reason}" for file, reason in summary.skipped]),
                }
            yield MaterializeResult(asset_key=AssetKey([RAW_SCHEMA, table]), metadata=metadata)
