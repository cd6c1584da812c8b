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
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from config.settings import parse_workers
from ingestion import PARSER_VERSION
from ingestion.errors import ReportError
from ingestion.extract import SUPPORTED_SUFFIXES
from ingestion.extract.limits import MAX_FILE_MB_ENV, TIME_BUDGET_ENV, FileLimits, file_limits
from ingestion.load.file_history import record_file_versions
from ingestion.load.parse_pool import ParsePool
from ingestion.load.parse_step import ParseOutcome, parse_one
from ingestion.load.raw_tables import PER_VERSION_TABLES, RAW_SCHEMA, RAW_TABLES, create_statements
from ingestion.load.rows import Row

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
    parse_workers: int = 0  # worker processes that parsed this sync's files (0: parsed in the sync's own process)


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
        record_file_versions(self.con, self.files)  # before the rows it compares with are replaced
        self.con.execute(f"UPDATE {RAW_SCHEMA}.report_files SET present = false")
        self.con.execute(f"DELETE FROM {RAW_SCHEMA}.report_files WHERE file_path IN (SELECT UNNEST(?))", [paths])
        _insert(self.con, "report_files", self.files)
        self.summary.rows_written["report_files"] = len(self.files)


@dataclass
class _Scanned:
    """A landing file as the scan saw it (its bytes are not kept: they are read again to be parsed)."""

    path: Path
    relative: str
    sha: str = ""
    size: int = 0
    unread_reason: str | None = None  # over the size limit: quarantined unread
    skip_reason: str | None = None  # not a file the loader reads (link out, gone since the scan)
    key: int | None = None  # set when it went to the parse pool


def _scan(reports_dir: Path, root: Path, limits: FileLimits) -> list[_Scanned]:
    items = []
    for path, skip_reason in landing_entries(reports_dir):
        item = _Scanned(path, path.relative_to(reports_dir).as_posix(), skip_reason=skip_reason)
        if skip_reason is None:
            _read_into(item, root, limits)
        items.append(item)
    return items


def _read_into(item: _Scanned, root: Path, limits: FileLimits) -> bytes | None:
    """Read the file, recording its hash and size on `item` (or why it is not read); returns its bytes."""
    try:
        data, item.sha, item.size, item.unread_reason = _read_landing_file(item.path, root, limits)
    except OSError as error:  # removed, or swapped for a link, since the scan
        item.skip_reason = f"could not be read: {error.strerror or error}"
        return None
    return data


class _Plan:
    """What the sync already knows: which files need parsing, and how much parsing that is."""

    def __init__(self, known: dict[str, tuple[str, str]], parsed_shas: set[str]) -> None:
        self.known, self.parsed_shas = known, parsed_shas

    def unchanged(self, item: _Scanned) -> bool:
        previous = self.known.get(item.relative)
        # Same content as already loaded (here or under another name): nothing to parse.
        return bool(previous and previous[0] == item.sha and previous[1] != "stale") or item.sha in self.parsed_shas

    def to_parse(self, item: _Scanned) -> bool:
        return item.skip_reason is None and item.unread_reason is None and not self.unchanged(item)

    def estimated_seconds(self, items: list[_Scanned]) -> float:
        return sum(ESTIMATED_PARSE_S[_format(item.path)] for item in items if self.to_parse(item))


def _format(path: Path) -> str:
    return FORMAT_BY_SUFFIX.get(path.suffix.lower(), "text")


# Seconds one core takes to parse a typical report of each format (docs/benchmark.md, parse throughput),
# used only to decide whether a batch is worth starting worker processes for.
ESTIMATED_PARSE_S = {"text": 0.002, "markdown": 0.0025, "html": 0.015, "pdf": 0.15}
# Below this much estimated parsing the files are parsed in the sync's own process: starting a worker
# costs ~0.3 s of one core (docs/parallel_parsing.md), more than a parallel parse would save.
POOL_MIN_WORK_S = 1.0
# How far the pool may run ahead of the file being written (rows are written in landing order). Wide
# enough that a slow PDF at the head (~150 ms, 70x a text report) does not leave the other workers
# idle; the bytes of the files in flight are capped too, so memory stays bounded whatever the sizes.
WINDOW_PER_WORKER = 32
WINDOW_BYTES = 64 * 2**20


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
        known = _retry_where_limits_changed(con, _known_files(con), limits)
        parsed_shas = {
            sha
            for (sha,) in con.execute(
                f"SELECT content_sha256 FROM {RAW_SCHEMA}.reports WHERE parser_version = ?", [PARSER_VERSION]
            ).fetchall()
        }
        plan = _Plan(known, parsed_shas)
        items = _scan(reports_dir, root, limits)
        new = sum(plan.to_parse(item) for item in items)
        pooled = workers > 1 and new > 0 and plan.estimated_seconds(items) >= pool_min_work_s
        pool = ParsePool(min(workers, new), limits) if pooled else None
        summary.parse_workers = pool.size if pool else 0
        batch = _Batch(con, summary)
        con.execute("BEGIN TRANSACTION")
        try:
            _sync_in_order(batch, items, plan, _Reader(root, limits, pool), now)
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


class _Reader:
    """Reads files for parsing and parses them: in this process, or through the pool."""

    def __init__(self, root: Path, limits: FileLimits, pool: ParsePool | None) -> None:
        self.root, self.limits, self.pool = root, limits, pool
        self.window = WINDOW_PER_WORKER * pool.size if pool else 0
        self._keys = 0

    def read(self, item: _Scanned) -> bytes | None:
        return _read_into(item, self.root, self.limits)

    def submit(self, item: _Scanned, data: bytes) -> None:
        assert self.pool is not None
        self._keys += 1
        item.key = self._keys
        self.pool.submit(item.key, item.path, item.relative, data)

    def outcome(self, item: _Scanned, data: bytes | None) -> ParseOutcome:
        """The parse of `item`: from the pool when submitted, else now (from `data`, just read)."""
        if item.key is None and self.pool is not None and data is not None:
            self.submit(item, data)
        if item.key is not None:
            assert self.pool is not None
            return self.pool.result(item.key)
        assert data is not None
        return parse_one(item.path, item.relative, data, self.limits)


def _sync_in_order(batch: _Batch, items: list[_Scanned], plan: _Plan, reader: _Reader, now: datetime) -> None:
    """Write every file's rows in landing order, the pool parsing up to `reader.window` files ahead."""
    pending: deque[_Scanned] = deque()
    in_flight: dict[str, int] = {}  # hash -> size of the files in the pool; a second copy waits for the first

    def full() -> bool:
        return len(in_flight) >= reader.window or sum(in_flight.values()) >= WINDOW_BYTES

    for item in items:
        if reader.window and plan.to_parse(item) and item.sha not in in_flight:
            data = reader.read(item)  # the hash may differ from the scan's: the file changed in between
            if data is not None and plan.to_parse(item) and item.sha not in in_flight:
                reader.submit(item, data)
                in_flight[item.sha] = len(data)
        pending.append(item)
        while pending and (pending[0].key is None or full()):
            in_flight.pop(_settle(batch, pending.popleft(), plan, reader, now) or "", None)
    while pending:
        _settle(batch, pending.popleft(), plan, reader, now)


def _settle(batch: _Batch, item: _Scanned, plan: _Plan, reader: _Reader, now: datetime) -> str | None:
    """Write one file's outcome into the batch; returns its hash when it came from the pool."""
    data = reader.read(item) if item.key is None and plan.to_parse(item) else None
    if item.skip_reason is not None:
        batch.summary.skipped.append((item.relative, item.skip_reason))
        return None
    batch.files.append(_sync_one(batch, item, plan, now, lambda: reader.outcome(item, data)))
    return item.sha if item.key is not None else None


def _sync_one(batch: _Batch, item: _Scanned, plan: _Plan, now: datetime, outcome: Callable[[], ParseOutcome]) -> Row:
    """Parse one landing file when it is new; returns its report_files row."""
    batch.summary.scanned += 1
    previous = plan.known.get(item.relative)
    if plan.unchanged(item):
        status = previous[1] if previous and previous[0] == item.sha else "parsed"
        batch.summary.unchanged += 1
    elif item.unread_reason is not None:
        status = _quarantine(batch, item, item.unread_reason, now)
    else:
        rows, reason = outcome()
        if rows is None:
            status = _quarantine(batch, item, reason or "unknown", now)
        else:
            batch.summary.parsed += 1
            batch.add_version(rows)
            plan.parsed_shas.add(item.sha)
            status = "parsed"
    return {
        "file_path": item.relative,
        "content_sha256": item.sha,
        "size_bytes": item.size,
        "source_format": FORMAT_BY_SUFFIX.get(item.path.suffix.lower()),
        "status": status,
        "parser_version": PARSER_VERSION,
        "present": True,
        "first_seen_at": now if previous is None else None,
        "last_seen_at": now,
    }


def _quarantine(batch: _Batch, item: _Scanned, reason: str, now: datetime) -> str:
    batch.summary.quarantined.append((item.relative, reason))
    batch.versions["quarantine"].append(
        {
            "file_path": item.relative,
            "content_sha256": item.sha,
            "size_bytes": item.size,
            "reason": reason,
            "quarantined_at": now,
        }
    )
    return "quarantined"
