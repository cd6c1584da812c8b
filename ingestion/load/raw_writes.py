"""Rows into the raw tables: the schema, and the batch of rows written in chunks within one sync's transaction."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from ingestion.extract.formats import format_of
from ingestion.load.file_history import record_file_versions
from ingestion.load.raw_tables import PER_VERSION_TABLES, RAW_SCHEMA, RAW_TABLES, create_statements
from ingestion.load.rows import Row


@dataclass
class SyncSummary:
    scanned: int = 0
    parsed: int = 0
    unchanged: int = 0
    quarantined: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    missing: int = 0  # known files no longer in the landing folder (their data is kept)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, reason): never read, e.g. links out
    rows_written: dict[str, int] = field(default_factory=dict)
    parse_workers: int = 0  # worker processes that parsed this sync's files (0: parsed in the sync's own process)


def _sql_type(ddl: str) -> str:
    return re.sub(r"\s+(NOT NULL|PRIMARY KEY).*$", "", ddl)


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list[Row]) -> None:
    if not rows:
        return
    columns = RAW_TABLES[table]
    arrow = pa.Table.from_pylist([{name: row.get(name) for name, _ in columns} for row in rows])
    con.register("incoming_rows", arrow)
    select = ", ".join(f"CAST({name} AS {_sql_type(ddl)})" for name, ddl in columns)
    con.execute(f"INSERT INTO {RAW_SCHEMA}.{table} SELECT {select} FROM incoming_rows")
    con.unregister("incoming_rows")


def ensure_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    for statement in create_statements():
        con.execute(statement)


# Parsed rows are written every this many new files, inside the one transaction: memory stays bounded.
FLUSH_EVERY = 100


class Batch:
    """Rows waiting to be written, flushed in chunks within the sync's single transaction."""

    def __init__(self, con: duckdb.DuckDBPyConnection, summary: SyncSummary, parser_version: str) -> None:
        self.con, self.summary = con, summary
        self.parser_version = parser_version  # recorded on every report_files row of the sync
        self.versions: dict[str, list[Row]] = {table: [] for table in RAW_TABLES if table != "report_files"}
        self.files: list[Row] = []
        self.unflushed = 0

    def add_version(self, rows: dict[str, list[Row]]) -> None:
        for table, table_rows in rows.items():
            self.versions[table].extend(table_rows)
        self.unflushed += 1
        if self.unflushed >= FLUSH_EVERY:
            self.flush_versions()

    def flush_versions(self) -> None:
        new_shas = [row["content_sha256"] for row in self.versions["reports"]]
        if new_shas:
            for table in PER_VERSION_TABLES:
                self.con.execute(
                    f"DELETE FROM {RAW_SCHEMA}.{table} WHERE content_sha256 IN (SELECT UNNEST(?))", [new_shas]
                )
        for row in self.versions["quarantine"]:
            self.con.execute(
                f"DELETE FROM {RAW_SCHEMA}.quarantine WHERE file_path = ? AND content_sha256 = ?",
                [row["file_path"], row["content_sha256"]],
            )
        for table, rows in self.versions.items():
            insert_rows(self.con, table, rows)
            self.summary.rows_written[table] = self.summary.rows_written.get(table, 0) + len(rows)
            rows.clear()
        self.unflushed = 0

    def flush_files(self) -> None:
        """Replace the rows of the paths seen in this scan; paths not seen stay, marked not present."""
        paths = [row["file_path"] for row in self.files]
        first_seen = dict(
            self.con.execute(
                f"SELECT file_path, first_seen_at FROM {RAW_SCHEMA}.report_files WHERE file_path IN (SELECT UNNEST(?))",
                [paths],
            ).fetchall()
        )
        for row in self.files:
            row["first_seen_at"] = row["first_seen_at"] or first_seen.get(row["file_path"])
        record_file_versions(self.con, self.files)  # before the rows it compares with are replaced
        self.con.execute(f"UPDATE {RAW_SCHEMA}.report_files SET present = false")
        self.con.execute(f"DELETE FROM {RAW_SCHEMA}.report_files WHERE file_path IN (SELECT UNNEST(?))", [paths])
        insert_rows(self.con, "report_files", self.files)
        self.summary.rows_written["report_files"] = len(self.files)


def report_file_row(
    batch: Batch, path: Path, relative: str, sha: str, size: int, status: str, now: datetime, new: bool
) -> Row:
    """The raw.report_files row of one landing file as this sync saw it."""
    report_format = format_of(path)
    return {
        "file_path": relative,
        "content_sha256": sha,
        "size_bytes": size,
        "source_format": report_format.name if report_format else None,
        "status": status,
        "parser_version": batch.parser_version,
        "present": True,
        "first_seen_at": now if new else None,
        "last_seen_at": now,
    }


def quarantine_row(batch: Batch, relative: str, sha: str, size: int, reason: str, now: datetime) -> str:
    batch.summary.quarantined.append((relative, reason))
    batch.versions["quarantine"].append(
        {"file_path": relative, "content_sha256": sha, "size_bytes": size, "reason": reason, "quarantined_at": now}
    )
    return "quarantined"
