"""Ingestion assets: landing folder -> raw tables (one multi-asset, one DuckDB transaction)."""

from collections.abc import Iterator

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
    Failure,
    MaterializeResult,
    MetadataValue,
    multi_asset,
)

from config.settings import reports_dir
from ingestion.load.file_history import files_on_last_good
from ingestion.load.loader import LandingFolderError, SyncSummary, check_landing_folder, sync_landing_folder
from ingestion.load.raw_tables import RAW_SCHEMA, RAW_TABLES
from orchestration.resources import DuckDBWarehouse

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
    )
    for table in RAW_TABLES
]


def _files_line(summary: SyncSummary) -> str:
    parsed = f"{summary.parsed} parsed"
    if summary.parse_workers:
        parsed += f" by {summary.parse_workers} worker processes"
    return (
        f"{summary.scanned} files: {parsed}, {summary.unchanged} unchanged, {len(summary.quarantined)} quarantined, "
        f"{summary.missing} no longer present (data kept)"
    )


@multi_asset(specs=raw_specs, can_subset=False)
def raw_tables(context: AssetExecutionContext, warehouse: DuckDBWarehouse) -> Iterator[MaterializeResult]:
    """Parse new or changed report files from the landing folder into the raw tables."""
    landing = reports_dir()
    try:
        check_landing_folder(landing)  # before the warehouse is opened: a wrong folder changes nothing
    except LandingFolderError as error:
        raise Failure(str(error), allow_retries=False) from None
    summary = sync_landing_folder(warehouse.path, landing)
    context.log.info(_files_line(summary))
    for file, reason in summary.quarantined:
        context.log.warning(f"quarantined {file}: {reason}")
    for file, reason in summary.skipped:
        context.log.warning(f"skipped {file}: {reason}")
    if summary.scanned == 0 and summary.missing:
        context.log.warning(f"landing folder {landing} is empty: the {summary.missing} files loaded before are kept")
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
                    # Files whose newest version is quarantined: the marts keep their last good version.
                    "files_kept_from_last_good": MetadataValue.json(
                        [f"{path}: {reason}" for path, reason in files_on_last_good(con)]
                    ),
                }
            yield MaterializeResult(asset_key=AssetKey([RAW_SCHEMA, table]), metadata=metadata)
