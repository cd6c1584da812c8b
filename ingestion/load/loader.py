"""Landing folder -> raw tables, incrementally and transactionally.

A file is identified by its content hash: unchanged files are not re-parsed, a changed
file's new version replaces the path's current version (older versions stay in raw
history), a file that fails to parse is quarantined with its reason while the rest of
the run goes on, and a file removed from the landing folder keeps its data (present=false).
All writes of one sync happen in one DuckDB transaction: a run that dies leaves the previous state.
"""

from __future__ import annotations

import hashlib
import os
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
from ingestion.extract.limits import MAX_FILE_MB_ENV, TIME_BUDGET_ENV, FileLimits, file_limits
from ingestion.load.raw_tables import PER_VERSION_TABLES, RAW_SCHEMA, RAW_TABLES, create_statements
from ingestion.load.rows import Row, report_rows
from ingestion.parse import parse_bytes
from ingestion.parse.validate import quarantine_reason

FORMAT_BY_SUFFIX = {".txt": "text", ".md": "markdown", ".html": "html", ".htm": "html", ".pdf": "pdf"}


@dataclass
class SyncSummary:
    scanned: int = 0
    parsed: int = 0
    unchanged: int = 0
    quarantined: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    missing: int = 0  # known files no longer in the landing folder (their data is kept)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, reason): never read, e.g. links out
    rows_written: dict[str, int] = field(default_factory=dict)


def landing_entries(reports_dir: Path) -> Iterator[tuple[Path, str | None]]:
    """Report files of the landing folder, each with the reason it is skipped (None: read it).

    Dot-files and dot-folders (fetch history, manifests) are left out. Symbolic links are never
    followed out of the folder: one resolving outside it (`x.txt -> /etc/passwd`) is skipped with a
    reason, so a landing folder cannot be used to read other files. Folder links are not walked.
    """
    root = reports_dir.resolve()
    for folder, subfolders, names in os.walk(reports_dir, followlinks=False):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        for name in sorted(names):
            path = Path(folder) / name
            if name.startswith(".") or path.suffix.lower() not in SUPPORTED_SUFFIXES:
                continue
            if path.is_symlink():
                target = path.resolve()
                if not target.is_relative_to(root):
                    yield path, f"symbolic link to {target}, outside the landing folder: not read"
                    continue
                if not target.is_file():
                    continue  # a broken link, or a link to a folder: nothing to read
            elif not path.is_file():
                continue
            yield path, None


def landing_files(reports_dir: Path) -> Iterator[Path]:
    """Report files in the landing folder that the loader reads."""
    return (path for path, skipped in landing_entries(reports_dir) if skipped is None)


def _read_landing_file(path: Path, root: Path, limits: FileLimits) -> tuple[bytes | None, str, int, str | None]:
    """(bytes or None when not read, sha256, size, reason it is quarantined unread).

    The path is resolved and checked again at reading time, and opened without following a link,
    so that a file swapped for a link after the scan is not read either (OSError). An over-size
    file is hashed in chunks, never held in memory, and quarantined with the limit it broke; its
    hash still lets the next run see that it is unchanged.
    """
    target = path.resolve()
    if not target.is_relative_to(root):
        raise OSError(f"resolves to {target}, outside the landing folder")
    fd = os.open(target, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        try:
            limits.check_size(size)
        except ReportError as error:
            digest = hashlib.sha256()
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
            return None, digest.hexdigest(), size, error.reason
        data = handle.read()
    return data, hashlib.sha256(data).hexdigest(), len(data), None


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


def _retry_where_limits_changed(
    con: duckdb.DuckDBPyConnection, known: dict[str, tuple[str, str]], limits: FileLimits
) -> dict[str, tuple[str, str]]:
    """Files quarantined for a size or time limit other than the one in force are read again."""
    rows = con.execute(
        f"SELECT q.file_path, q.content_sha256, q.reason FROM {RAW_SCHEMA}.quarantine AS q "
        f"JOIN {RAW_SCHEMA}.report_files AS f USING (file_path, content_sha256) "
        f"WHERE f.status = 'quarantined' AND (q.reason LIKE '%({MAX_FILE_MB_ENV})%' OR q.reason LIKE '%({TIME_BUDGET_ENV})%')"
    ).fetchall()
    retry = {path for path, _, reason in rows if not limits.set_the_limit_of(reason)}
    return {path: (sha, "stale" if path in retry else status) for path, (sha, status) in known.items()}


def _parse_one(path: Path, relative: str, data: bytes) -> tuple[dict[str, list[Row]] | None, str | None]:
    """Rows of a parsed file, or the one-line reason it was quarantined."""
    try:
        report = parse_bytes(path, data)
    except ReportError as error:
        return None, error.reason
    except Exception as error:  # a parser bug must quarantine one file, not stop the run
        return None, f"parser error: {type(error).__name__}: {error}"
    if reason := quarantine_reason(report):
        # Contradicting or missing numbers would fail the blocking mart checks (holding back every other
        # report's publish) or be published half-read: this file waits in quarantine, with the reason.
        return None, reason
    report.source_file = relative
    return report_rows(report, datetime.now(UTC).replace(tzinfo=None)), None


# Parsed rows are written every this many new files, inside the one transaction: memory stays bounded.
FLUSH_EVERY = 100


class _Batch:
    """Rows waiting to be written, flushed in chunks within the sync's single transaction."""

    def __init__(self, con: duckdb.DuckDBPyConnection, summary: SyncSummary) -> None:
        self.con, self.summary = con, summary
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
            _insert(self.con, table, rows)
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
        self.con.execute(f"UPDATE {RAW_SCHEMA}.report_files SET present = false")
        self.con.execute(f"DELETE FROM {RAW_SCHEMA}.report_files WHERE file_path IN (SELECT UNNEST(?))", [paths])
        _insert(self.con, "report_files", self.files)
        self.summary.rows_written["report_files"] = len(self.files)


def sync_landing_folder(db_path: Path, reports_dir: Path) -> SyncSummary:
    """Bring the raw tables of `db_path` up to date with the files in `reports_dir`."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    summary = SyncSummary()
    now = datetime.now(UTC).replace(tzinfo=None)
    limits = file_limits()  # read once: every file of a sync is held to the same limits
    with duckdb.connect(str(db_path)) as con:
        ensure_raw_schema(con)
        known = _retry_where_limits_changed(con, _known_files(con), limits)
        parsed_shas = {
            sha
            for (sha,) in con.execute(
                f"SELECT content_sha256 FROM {RAW_SCHEMA}.reports WHERE parser_version = ?", [PARSER_VERSION]
            ).fetchall()
        }
        batch = _Batch(con, summary)
        con.execute("BEGIN TRANSACTION")
        try:
            for path, skip_reason in landing_entries(reports_dir):
                relative = path.relative_to(reports_dir).as_posix()
                if skip_reason is not None:
                    summary.skipped.append((relative, skip_reason))
                    continue
                try:
                    read = _read_landing_file(path, reports_dir.resolve(), limits)
                except OSError as error:  # removed, or swapped for a link, since the scan
                    summary.skipped.append((relative, f"could not be read: {error.strerror or error}"))
                    continue
                batch.files.append(_sync_one(batch, path, relative, read, known, parsed_shas, now))
            summary.missing = len(set(known) - {row["file_path"] for row in batch.files})
            batch.flush_versions()
            batch.flush_files()
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return summary


def _sync_one(
    batch: _Batch,
    path: Path,
    relative: str,
    read: tuple[bytes | None, str, int, str | None],
    known: dict[str, tuple[str, str]],
    parsed_shas: set[str],
    now: datetime,
) -> Row:
    """Parse one landing file when it is new; returns its report_files row."""
    data, sha, size, unread_reason = read
    batch.summary.scanned += 1
    previous = known.get(relative)
    if (previous and previous[0] == sha and previous[1] != "stale") or sha in parsed_shas:
        # Same content as already loaded (here or under another name): nothing to parse.
        status = previous[1] if previous and previous[0] == sha else "parsed"
        batch.summary.unchanged += 1
    elif data is None:
        status = _quarantine(batch, relative, sha, size, unread_reason or "not read", now)
    else:
        status = _load_one(batch, path, relative, data, sha, now)
        if status == "parsed":
            parsed_shas.add(sha)
    return {
        "file_path": relative,
        "content_sha256": sha,
        "size_bytes": size,
        "source_format": FORMAT_BY_SUFFIX.get(path.suffix.lower()),
        "status": status,
        "parser_version": PARSER_VERSION,
        "present": True,
        "first_seen_at": now if previous is None else None,
        "last_seen_at": now,
    }


def _quarantine(batch: _Batch, relative: str, sha: str, size: int, reason: str, now: datetime) -> str:
    batch.summary.quarantined.append((relative, reason))
    batch.versions["quarantine"].append(
        {"file_path": relative, "content_sha256": sha, "size_bytes": size, "reason": reason, "quarantined_at": now}
    )
    return "quarantined"


def _load_one(batch: _Batch, path: Path, relative: str, data: bytes, sha: str, now: datetime) -> str:
    """Parse one new file into the batch, or quarantine it; returns its status."""
    rows, reason = _parse_one(path, relative, data)
    if rows is None:
        return _quarantine(batch, relative, sha, len(data), reason or "unknown", now)
    batch.summary.parsed += 1
    batch.add_version(rows)
    return "parsed"
