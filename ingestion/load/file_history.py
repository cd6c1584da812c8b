"""raw.report_file_versions: every content each landing path has held, and when.

raw.report_files keeps only a path's current content. When a file is edited in place and its new content
cannot be read, the marts keep the path's last good version (dbt: int_report_versions), which needs to know
which of the path's earlier contents parsed and which one the path held last: this table says it. Rows are
never deleted, so a parsed version's rows in the per-version tables always have a path to come back to.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pyarrow as pa

from ingestion.load.raw_tables import FILE_VERSIONS_TABLE, RAW_SCHEMA
from ingestion.load.rows import Row

_TABLE = f"{RAW_SCHEMA}.{FILE_VERSIONS_TABLE}"


def record_file_versions(con: duckdb.DuckDBPyConnection, files: Sequence[Row]) -> None:
    """Record this scan's report_files rows; call it before they replace the previous ones in raw.report_files,
    whose content hashes tell whether a path still holds what it held at the previous scan."""
    if not files:
        return
    scanned = pa.Table.from_pylist(
        [
            {
                "file_path": row["file_path"],
                "content_sha256": row["content_sha256"],
                "status": row["status"],
                "seen_at": row["last_seen_at"],
            }
            for row in files
        ]
    )
    con.register("scanned_files", scanned)
    try:
        # A content the path held at the previous scan keeps its held_since; one it comes back to starts anew.
        con.execute(
            f"""
            UPDATE {_TABLE} AS v
            SET status = s.status,
                last_seen_at = s.seen_at,
                held_since = CASE
                    WHEN v.content_sha256 IS NOT DISTINCT FROM (
                        SELECT f.content_sha256 FROM {RAW_SCHEMA}.report_files AS f WHERE f.file_path = v.file_path
                    ) THEN v.held_since
                    ELSE s.seen_at
                END
            FROM scanned_files AS s
            WHERE v.file_path = s.file_path AND v.content_sha256 = s.content_sha256
            """
        )
        con.execute(
            f"""
            INSERT INTO {_TABLE} (file_path, content_sha256, status, first_seen_at, held_since, last_seen_at)
            SELECT s.file_path, s.content_sha256, s.status, s.seen_at, s.seen_at, s.seen_at
            FROM scanned_files AS s
            WHERE NOT EXISTS (
                SELECT 1 FROM {_TABLE} AS v WHERE v.file_path = s.file_path AND v.content_sha256 = s.content_sha256
            )
            """
        )
    finally:
        con.unregister("scanned_files")


def files_on_last_good(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(path, quarantine reason) of every file whose current content cannot be read but which held a version that
    parsed: the marts keep that version (for the raw asset's metadata; the marts say since when)."""
    return con.execute(
        f"""
        SELECT f.file_path, q.reason
        FROM {RAW_SCHEMA}.report_files AS f
        INNER JOIN {RAW_SCHEMA}.quarantine AS q USING (file_path, content_sha256)
        WHERE f.status = 'quarantined' AND EXISTS (
            SELECT 1 FROM {_TABLE} AS v INNER JOIN {RAW_SCHEMA}.reports AS r USING (content_sha256)
            WHERE v.file_path = f.file_path AND v.status = 'parsed'
        )
        ORDER BY f.file_path
        """
    ).fetchall()
