"""Landing folder -> raw tables, incrementally and transactionally.

A file is identified by its content hash: unchanged files are not re-parsed, a changed
file's new version replaces the path's current version (older versions stay in raw
history), a file that fails to parse is quarantined with its reason while the rest of
the run goes on, and a file removed from the landing folder keeps its data (present=false).
All writes of one sync happen in one DuckDB transaction: a run that dies leaves the previous state.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from ingestion import PARSER_VERSION
from ingestion.errors import ReportError
from ingestion.extract import SUPPORTED_SUFFIXES
from ingestion.parse import parse_bytes
from ingestion.warehouse.raw_tables import PER_VERSION_TABLES, RAW_SCHEMA, RAW_TABLES, create_statements
from ingestion.warehouse.rows import Row, report_rows

FORMAT_BY_SUFFIX = {".txt": "text", ".md": "markdown", ".html": "html", ".htm": "html", ".pdf": "pdf"}


@dataclass
class SyncSummary:
    scanned: int = 0
    parsed: int = 0
    unchanged: int = 0
    quarantined: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    missing: int = 0  # known files no longer in the landing folder (their data is kept)
    rows_written: dict[str, int] = field(default_factory=dict)


def landing_files(reports_dir: Path) -> Iterator[Path]:
    """Report files in the landing folder; dot-files and dot-folders (fetch history, manifests) are skipped."""
    for path in sorted(reports_dir.rglob("*")):
        relative = path.relative_to(reports_dir)
        if (
            path.is_file()
            and path.suffix.lower() in SUPPORTED_SUFFIXES
            and not any(p.startswith(".") for p in relative.parts)
        ):
            yield path


def _sql_type(ddl: str) -> str:
    return re.sub(r"\s+(NOT NULL|PRIMARY KEY).*$", "", ddl)


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[Row]) -> None:
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


def _known_files(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, str]]:
    """Paths whose current content was handled by this parser version: (sha, status)."""
    rows = con.execute(
        f"SELECT file_path, content_sha256, status, parser_version FROM {RAW_SCHEMA}.report_files"
    ).fetchall()
    return {path: (sha, status if version == PARSER_VERSION else "stale") for path, sha, status, version in rows}


def _parse_one(path: Path, relative: str, data: bytes) -> tuple[dict[str, list[Row]] | None, str | None]:
    """Rows of a parsed file, or the one-line reason it was quarantined."""
    try:
        report = parse_bytes(path, data)
    except ReportError as error:
        return None, error.reason
    except Exception as error:  # a parser bug must quarantine one file, not stop the run
        return None, f"parser error: {type(error).__name__}: {error}"
    report.source_file = relative
    return report_rows(report, datetime.now(UTC).replace(tzinfo=None)), None


def sync_landing_folder(db_path: Path, reports_dir: Path) -> SyncSummary:
    """Bring the raw tables of `db_path` up to date with the files in `reports_dir`."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    summary = SyncSummary()
    now = datetime.now(UTC).replace(tzinfo=None)
    with duckdb.connect(str(db_path)) as con:
        ensure_raw_schema(con)
        known = _known_files(con)
        parsed_shas = {
            sha
            for (sha,) in con.execute(
                f"SELECT content_sha256 FROM {RAW_SCHEMA}.reports WHERE parser_version = ?", [PARSER_VERSION]
            ).fetchall()
        }
        pending: dict[str, list[Row]] = {table: [] for table in RAW_TABLES}
        seen: set[str] = set()
        for path in landing_files(reports_dir):
            relative = path.relative_to(reports_dir).as_posix()
            data = path.read_bytes()
            sha = hashlib.sha256(data).hexdigest()
            seen.add(relative)
            summary.scanned += 1
            previous = known.get(relative)
            if (previous and previous[0] == sha and previous[1] != "stale") or sha in parsed_shas:
                # Same content as already loaded (here or under another name): nothing to parse.
                status = previous[1] if previous and previous[0] == sha else "parsed"
                summary.unchanged += 1
            else:
                rows, reason = _parse_one(path, relative, data)
                if rows is None:
                    status = "quarantined"
                    summary.quarantined.append((relative, reason or "unknown"))
                    pending["quarantine"].append(
                        {
                            "file_path": relative,
                            "content_sha256": sha,
                            "size_bytes": len(data),
                            "reason": reason,
                            "quarantined_at": now,
                        }
                    )
                else:
                    status = "parsed"
                    summary.parsed += 1
                    parsed_shas.add(sha)
                    for table, table_rows in rows.items():
                        pending[table].extend(table_rows)
            first_seen = now if previous is None else None
            pending["report_files"].append(
                {
                    "file_path": relative,
                    "content_sha256": sha,
                    "size_bytes": len(data),
                    "source_format": FORMAT_BY_SUFFIX.get(path.suffix.lower()),
                    "status": status,
                    "parser_version": PARSER_VERSION,
                    "present": True,
                    "first_seen_at": first_seen,
                    "last_seen_at": now,
                }
            )
        summary.missing = len(set(known) - seen)
        _write(con, pending, summary)
    return summary


def _write(con: duckdb.DuckDBPyConnection, pending: dict[str, list[Row]], summary: SyncSummary) -> None:
    con.execute("BEGIN TRANSACTION")
    try:
        new_shas = [row["content_sha256"] for row in pending["reports"]]
        if new_shas:
            for table in PER_VERSION_TABLES:
                con.execute(f"DELETE FROM {RAW_SCHEMA}.{table} WHERE content_sha256 IN (SELECT UNNEST(?))", [new_shas])
        for row in pending["quarantine"]:
            con.execute(
                f"DELETE FROM {RAW_SCHEMA}.quarantine WHERE file_path = ? AND content_sha256 = ?",
                [row["file_path"], row["content_sha256"]],
            )
        # Keep first_seen_at of known paths: read it back before replacing their rows.
        paths = [row["file_path"] for row in pending["report_files"]]
        first_seen = dict(
            con.execute(
                f"SELECT file_path, first_seen_at FROM {RAW_SCHEMA}.report_files WHERE file_path IN (SELECT UNNEST(?))",
                [paths],
            ).fetchall()
        )
        for row in pending["report_files"]:
            row["first_seen_at"] = row["first_seen_at"] or first_seen.get(row["file_path"])
        con.execute(f"UPDATE {RAW_SCHEMA}.report_files SET present = false")
        con.execute(f"DELETE FROM {RAW_SCHEMA}.report_files WHERE file_path IN (SELECT UNNEST(?))", [paths])
        for table, rows in pending.items():
            _insert(con, table, rows)
            summary.rows_written[table] = len(rows)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
