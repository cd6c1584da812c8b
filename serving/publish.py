"""Write-audit-publish of the marts into a versioned, read-only serving copy for BI tools.

Layout of `serving_dir` (beside the working warehouse):

    versions/<id>/marts.duckdb          one complete, immutable copy of the marts
    versions/<id>/parquet/<table>.parquet
    versions/<id>/version.json          id, created time, row counts, checks the publish depended on
    versions/<id>/data_docs/            GX's Data Docs of the validation that cleared it (`extra_dirs`)
    current -> versions/<id>            THE switch: one symlink, replaced atomically with os.replace
    marts.duckdb -> current/marts.duckdb   contract path (static symlink, created once)
    parquet -> current/parquet             contract path (static symlink, created once)

Why one `current` symlink: rename(2) of a symlink is atomic, so every path lookup resolves either the
old or the new version, and both contract paths flip together (the DuckDB file and the Parquet folder
can never point at different versions). A reader that already opened a file keeps its open inode, so
BI clients holding `marts.duckdb` open read-only are neither blocked nor affected by a publish, and a
publish never needs a lock on the file they hold.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

# The marts the contract promises to BI tools, in the order they are published.
MART_TABLES = [
    "inspections",
    "ratings",
    "scores",
    "recommendations",
    "findings",
    "pdus",
    # Analyst marts (docs/contract.md): re-inspections, latest state per PDU, regions, trends, themes.
    "pdu_history",
    "pdu_standard_history",
    "latest_inspections",
    "latest_ratings",
    "latest_scores",
    "region_summary",
    "region_key_questions",
    "national_trend",
    "national_trend_key_questions",
    "recommendation_themes",
]
VERSIONS = "versions"
CURRENT = "current"
DB_NAME = "marts.duckdb"
PARQUET = "parquet"
MANIFEST = "version.json"
DATA_DOCS = "data_docs"  # the folder of GX's Data Docs site in a version (written by the pipeline's publish)
_STAGING_PREFIX = ".staging-"
_LOCK = ".publish.lock"
_ID_PATTERN = re.compile(r"^\d{8}T\d{6}\.\d{6}Z$")
_ID_FORMAT = "%Y%m%dT%H%M%S.%fZ"
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# On-disk format of the serving file. The working warehouse is written by DuckDB 2.x in its own newest
# format, which DuckDB 1.x clients (the CLI, Metabase's and DBeaver's drivers, Evidence, notebooks) refuse
# to open. v1.0.0 is the oldest 1.x format (storage number 64, read by every DuckDB from 0.10 on) and holds
# every type the marts use (varchar, integer, bigint, double, boolean, date, timestamp). DuckDB refuses to
# write a type the format cannot hold (VARIANT needs v1.5.0), so such a mart fails the publish loudly.
SERVING_STORAGE_VERSION = "v1.0.0"


class PublishError(RuntimeError):
    """The publish or rollback did not happen; the serving copy is unchanged."""


@dataclass(frozen=True)
class PublishedVersion:
    id: str
    created: str  # ISO 8601, UTC
    path: Path
    row_counts: dict[str, int]
    checks: list[dict] = field(default_factory=list)
    # What the version was built from and what it holds (serving/build_state.py): a refresh whose inputs or
    # marts match the newest version's publishes nothing new.
    fingerprints: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict:
        data = asdict(self)
        data.pop("path")
        return data

    @classmethod
    def load(cls, folder: Path) -> PublishedVersion:
        data = json.loads((folder / MANIFEST).read_text())
        return cls(
            id=data["id"],
            created=data["created"],
            path=folder,
            row_counts={k: int(v) for k, v in data["row_counts"].items()},
            checks=list(data.get("checks", [])),
            fingerprints=dict(data.get("fingerprints", {})),
        )


def publish(
    working_db: Path,
    serving_dir: Path,
    tables: list[str],
    checks: list[dict],
    keep: int = 5,
    fingerprints: dict[str, str] | None = None,
    extra_dirs: Mapping[str, Path] | None = None,
) -> PublishedVersion:
    """Copy `marts.<table>` from the working warehouse into a new version, audit it, then switch to it.

    `checks` are the checks the publish depended on (dicts with at least "name"; "severity" and "passed"
    are recorded when given). A check with severity ERROR that did not pass refuses the publish, so a
    caller that forgot to gate on checks still cannot serve audited-bad data. `extra_dirs` (name -> folder)
    are copied into the version as `<name>/` before it appears, e.g. the Data Docs of the checks.
    """
    if keep < 1:
        raise ValueError("keep must be at least 1")
    _validate_tables(tables)
    _refuse_failed_blocking(checks)
    working_db = Path(working_db)
    if not working_db.is_file():
        raise PublishError(f"working warehouse not found: {working_db}")
    serving_dir = Path(serving_dir)
    with _publish_lock(serving_dir):
        _clean_staging(serving_dir)
        version_id, created = _new_version_id(serving_dir)
        staging = serving_dir / VERSIONS / f"{_STAGING_PREFIX}{version_id}"
        try:
            row_counts = _write_version(working_db, staging, tables)
            for name, source in (extra_dirs or {}).items():
                shutil.copytree(source, staging / name)
                _fsync_tree(staging / name)
            _write_manifest(staging, version_id, created, row_counts, checks, fingerprints or {})
            from serving.release.package import write_staged_package  # lazy: serving.release imports this module

            write_staged_package(staging, serving_dir)  # the version's data package (docs/serving.md)
            final = serving_dir / VERSIONS / version_id
            os.replace(staging, final)  # the version folder appears complete or not at all
        except Exception as exc:
            shutil.rmtree(staging, ignore_errors=True)
            if isinstance(exc, PublishError):
                raise
            raise PublishError(f"publish failed, serving copy unchanged: {exc}") from exc
        _switch(serving_dir, version_id)
        _prune(serving_dir, keep)
        return PublishedVersion.load(final)


def current_version(serving_dir: Path) -> PublishedVersion | None:
    """The version the contract paths point at now, or None before the first publish."""
    link = Path(serving_dir) / CURRENT
    if not link.is_symlink():
        return None
    return PublishedVersion.load(Path(serving_dir) / VERSIONS / Path(os.readlink(link)).name)


def list_versions(serving_dir: Path) -> list[PublishedVersion]:
    """Complete versions, oldest first (ids are UTC timestamps, so name order is time order)."""
    root = Path(serving_dir) / VERSIONS
    if not root.is_dir():
        return []
    folders = sorted(p for p in root.iterdir() if _ID_PATTERN.match(p.name) and (p / MANIFEST).is_file())
    return [PublishedVersion.load(p) for p in folders]


def rollback(serving_dir: Path, version_id: str | None = None) -> PublishedVersion:
    """Point the serving copy at `version_id`, or at the version before the current one when None."""
    serving_dir = Path(serving_dir)
    with _publish_lock(serving_dir):
        ids = [v.id for v in list_versions(serving_dir)]
        current = current_version(serving_dir)
        if version_id is None:
            if current is None or current.id not in ids or ids.index(current.id) == 0:
                raise PublishError("no previous version to roll back to")
            version_id = ids[ids.index(current.id) - 1]
        elif version_id not in ids:
            raise PublishError(f"unknown version {version_id!r}; known: {', '.join(ids) or 'none'}")
        _switch(serving_dir, version_id)
        return PublishedVersion.load(serving_dir / VERSIONS / version_id)


# --- write and audit -------------------------------------------------------------------------------


def _validate_tables(tables: list[str]) -> None:
    if not tables:
        raise ValueError("no tables to publish")
    bad = [t for t in tables if not _IDENT.match(t)]
    if bad:
        # Table names go into SQL and file names: accept identifiers only.
        raise ValueError(f"invalid table names: {bad}")


def _refuse_failed_blocking(checks: list[dict]) -> None:
    for check in checks:
        if "name" not in check:
            raise ValueError(f"check without a name: {check!r}")
    failed = [c["name"] for c in checks if c.get("passed") is False and str(c.get("severity", "")).upper() == "ERROR"]
    if failed:
        raise PublishError(f"blocking checks failed, not publishing: {', '.join(failed)}")


def _write_version(working_db: Path, folder: Path, tables: list[str]) -> dict[str, int]:
    """Copy the tables into a fresh DuckDB file and Parquet files; return the audited row counts."""
    (folder / PARQUET).mkdir(parents=True)
    # The tables go in the file's default schema: DuckDB names the catalog of `marts.duckdb` "marts",
    # so `marts.<table>` then reads exactly as in the working warehouse (a schema named `marts`
    # inside it would make every `marts.<table>` ambiguous). See README "Migration notes".
    con = duckdb.connect()
    try:
        # READ_ONLY: the publish never takes the working warehouse's write lock.
        con.execute("ATTACH ? AS working (READ_ONLY)", [str(working_db)])
        con.execute(f"ATTACH ? AS target (STORAGE_VERSION '{SERVING_STORAGE_VERSION}')", [str(folder / DB_NAME)])
        counts: dict[str, int] = {}
        for table in tables:
            con.execute(f"CREATE TABLE target.main.{table} AS SELECT * FROM working.marts.{table}")
            parquet = folder / PARQUET / f"{table}.parquet"
            con.execute(f"COPY target.main.{table} TO {_sql_string(parquet)} (FORMAT parquet)")
            counts[table] = _audit_counts(con, table, parquet)
        con.execute("CHECKPOINT target")  # no WAL beside the file: read-only readers must not need one
        con.execute("DETACH target")
        con.execute("DETACH working")
    finally:
        con.close()
    _fsync_tree(folder)
    return counts


def _sql_string(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"  # COPY ... TO takes no bound parameter


def _audit_counts(con: duckdb.DuckDBPyConnection, table: str, parquet: Path) -> int:
    source = con.execute(f"SELECT count(*) FROM working.marts.{table}").fetchone()[0]
    copied = con.execute(f"SELECT count(*) FROM target.main.{table}").fetchone()[0]
    in_parquet = con.execute("SELECT count(*) FROM read_parquet(?)", [str(parquet)]).fetchone()[0]
    if not source == copied == in_parquet:
        raise PublishError(f"{table}: row counts differ (working {source}, duckdb {copied}, parquet {in_parquet})")
    return int(copied)


def _write_manifest(
    folder: Path, version_id: str, created: str, row_counts: dict[str, int], checks: list[dict], fingerprints: dict
) -> None:
    manifest = {
        "id": version_id,
        "created": created,
        "row_counts": row_counts,
        "checks": checks,
        "fingerprints": fingerprints,
    }
    path = folder / MANIFEST
    path.write_text(json.dumps(manifest, indent=2, default=str) + "\n")
    _fsync(path)


# --- switch, prune, lock ---------------------------------------------------------------------------


def _switch(serving_dir: Path, version_id: str) -> None:
    """Atomically point `current` at a version, then make sure the contract paths go through it."""
    _replace_symlink(serving_dir / CURRENT, f"{VERSIONS}/{version_id}")
    _replace_symlink(serving_dir / DB_NAME, f"{CURRENT}/{DB_NAME}", only_if_different=True)
    _replace_symlink(serving_dir / PARQUET, f"{CURRENT}/{PARQUET}", only_if_different=True)
    _fsync(serving_dir)  # make the renames durable: a crash must not resurrect a half-switched state


def _replace_symlink(link: Path, target: str, only_if_different: bool = False) -> None:
    if only_if_different and link.is_symlink() and os.readlink(link) == target:
        return
    if link.exists() and not link.is_symlink() and link.is_dir():
        # A pre-versioning real folder cannot be replaced by rename; move it aside first.
        shutil.rmtree(link)
    tmp = link.with_name(f".{link.name}.{os.getpid()}.tmp")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    os.symlink(target, tmp)  # relative target: the folder can be moved or mounted elsewhere
    os.replace(tmp, link)


def _prune(serving_dir: Path, keep: int) -> None:
    current = current_version(serving_dir)
    versions = list_versions(serving_dir)
    for version in versions[:-keep]:
        if current is None or version.id != current.id:
            # Readers holding an old file open keep their inode; only new opens are affected.
            shutil.rmtree(version.path, ignore_errors=True)


def _clean_staging(serving_dir: Path) -> None:
    root = serving_dir / VERSIONS
    if root.is_dir():
        for leftover in root.glob(f"{_STAGING_PREFIX}*"):
            shutil.rmtree(leftover, ignore_errors=True)  # from a publish that died; we hold the lock


def _new_version_id(serving_dir: Path) -> tuple[str, str]:
    now = datetime.now(UTC)
    last = list_versions(serving_dir)
    version_id = now.strftime(_ID_FORMAT)
    if last and last[-1].id >= version_id:
        # Clock went backwards or two publishes in one microsecond: stay strictly increasing.
        now = datetime.strptime(last[-1].id, _ID_FORMAT).replace(tzinfo=UTC) + timedelta(microseconds=1)
        version_id = now.strftime(_ID_FORMAT)
    return version_id, now.isoformat()


@contextlib.contextmanager
def _publish_lock(serving_dir: Path) -> Iterator[None]:
    """Serialise publishers and rollbacks (readers never take this lock)."""
    (serving_dir / VERSIONS).mkdir(parents=True, exist_ok=True)
    with open(serving_dir / _LOCK, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            _fsync(path)
    for path in [*(p for p in folder.rglob("*") if p.is_dir()), folder]:
        _fsync(path)
