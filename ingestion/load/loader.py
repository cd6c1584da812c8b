"""Landing folder -> raw tables, incrementally and transactionally.

A file is identified by its content hash: unchanged files are not re-parsed, a changed
file's new version replaces the path's current version (older versions stay in raw
history), a file that fails to parse is quarantined with its reason while the rest of
the run goes on, and a file removed from the landing folder keeps its data (present=false).
All writes of one sync happen in one DuckDB transaction: a run that dies leaves the previous state.

This module only orchestrates a sync; each concern has its module: landing_scan (which files),
secure_read (reading one safely), change_plan (what needs parsing), worker_window (parsing ahead in
worker processes, writing in landing order) and raw_writes (the rows and the raw tables).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb

from config.settings import parse_workers
from ingestion import PARSER_VERSION
from ingestion.extract.limits import file_limits
from ingestion.load.change_plan import Plan, known_files, pending_changes, retry_where_limits_changed, scan
from ingestion.load.landing_scan import LandingFolderError, check_landing_folder, landing_entries, landing_files
from ingestion.load.parse_pool import ParsePool
from ingestion.load.raw_tables import RAW_SCHEMA
from ingestion.load.raw_writes import Batch, SyncSummary, ensure_raw_schema
from ingestion.load.secure_read import read_landing_file as _read_landing_file
from ingestion.load.worker_window import POOL_MIN_WORK_S, Reader, sync_in_order

# The loader is split by concern; these names stay importable from here. PARSER_VERSION is read here,
# once per sync, and passed down (tests set it on this module to simulate a new parser).
__all__ = [
    "LandingFolderError",
    "SyncSummary",
    "_read_landing_file",
    "check_landing_folder",
    "ensure_raw_schema",
    "landing_entries",
    "landing_files",
    "pending_changes_now",
    "sync_landing_folder",
]


def pending_changes_now(con: duckdb.DuckDBPyConnection, reports_dir: Path) -> list[str]:
    """change_plan.pending_changes with this parser's version (read here, as a sync reads it)."""
    return pending_changes(con, reports_dir, PARSER_VERSION)


def sync_landing_folder(
    db_path: Path, reports_dir: Path, *, workers: int | None = None, pool_min_work_s: float = POOL_MIN_WORK_S
) -> SyncSummary:
    """Bring the raw tables of `db_path` up to date with the files in `reports_dir`.

    New and changed files are parsed by `workers` processes (default: PROBATION_PARSE_WORKERS, one per
    available CPU) when there is at least `pool_min_work_s` of estimated parsing; otherwise, or with
    workers=1, in this process. Either way the rows are written in landing-folder order, identically.
    """
    workers = parse_workers() if workers is None else workers
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    summary = SyncSummary()
    now = datetime.now(UTC).replace(tzinfo=None)
    limits = file_limits()  # read once: every file of a sync is held to the same limits
    root = reports_dir.resolve()
    with duckdb.connect(str(db_path)) as con:
        ensure_raw_schema(con)
        known = retry_where_limits_changed(con, known_files(con, PARSER_VERSION), limits)
        parsed_shas = {
            sha
            for (sha,) in con.execute(
                f"SELECT content_sha256 FROM {RAW_SCHEMA}.reports WHERE parser_version = ?", [PARSER_VERSION]
            ).fetchall()
        }
        plan = Plan(known, parsed_shas)
        items = scan(reports_dir, root, limits)
        new = sum(plan.to_parse(item) for item in items)
        pooled = workers > 1 and new > 0 and plan.estimated_seconds(items) >= pool_min_work_s
        pool = ParsePool(min(workers, new), limits) if pooled else None
        summary.parse_workers = pool.size if pool else 0
        batch = Batch(con, summary, PARSER_VERSION)
        con.execute("BEGIN TRANSACTION")
        try:
            sync_in_order(batch, items, plan, Reader(root, limits, pool), now)
            summary.missing = len(set(known) - {row["file_path"] for row in batch.files})
            batch.flush_versions()
            batch.flush_files()
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        finally:
            if pool is not None:
                pool.close()
    return summary
