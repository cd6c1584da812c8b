"""Write-audit-publish of a DuckDB serving version into PostgreSQL, for BI servers (no Dagster here).

Layout in the database (the pipeline's role owns all of it):

    marts_v<version>.<table>   one complete, audited copy per serving version (tables; readers have no access)
    marts.<table>              views onto the current version's tables: THE switch; probation_reader may SELECT
    serving_meta.versions      loaded versions (id, schema, row counts, checks); serving_meta.current: the switch

Why views and not a schema rename: a reader's transaction holds a lock on each `marts` view it has read
until it ends, and repointing a view needs that lock, so a transaction sees one version from its first
read of `marts` to its end. A rename needs no lock on the tables: a reader's next statement would resolve
`marts.<table>` to the new table, whose rows a REPEATABLE READ snapshot cannot see (an empty table, a
wrong number). Readers are never queued for long behind the switch: it asks for its locks with a short
`lock_timeout` and retries, and holds them only for the few catalogue statements of the switch.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict
from psycopg.types.json import Jsonb

from serving.publish import DB_NAME, PublishedVersion, PublishError, _refuse_failed_blocking

MARTS = "marts"
META = "serving_meta"
READER_ROLE = "probation_reader"
VERSION_PREFIX = "marts_v"
VERSIONS_TO_KEEP = 5  # as many as the DuckDB serving copy keeps, so every rollback target is at hand
# Any fixed number: pg_advisory_lock keys are per database, shared by every client of it.
_PUBLISH_LOCK_KEY = 4_151_202_615
_COPY_BATCH = 10_000
_DECIMAL = re.compile(r"^DECIMAL\((\d+),\s*(\d+)\)$")
# DuckDB type -> PostgreSQL type with the same values (unsigned types widen; nothing narrows).
_SCALAR_TYPES = {
    "BOOLEAN": "boolean",
    "TINYINT": "smallint",
    "SMALLINT": "smallint",
    "INTEGER": "integer",
    "BIGINT": "bigint",
    "HUGEINT": "numeric(39,0)",
    "UTINYINT": "smallint",
    "USMALLINT": "integer",
    "UINTEGER": "bigint",
    "UBIGINT": "numeric(20,0)",
    "UHUGEINT": "numeric(39,0)",
    "FLOAT": "real",
    "DOUBLE": "double precision",
    "VARCHAR": "text",
    "DATE": "date",
    "TIME": "time",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP_S": "timestamp",
    "TIMESTAMP_MS": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
    "INTERVAL": "interval",
    "BLOB": "bytea",
    "UUID": "uuid",
    "JSON": "jsonb",
}


@dataclass(frozen=True)
class PostgresPublish:
    version_id: str
    schema: str  # the versioned schema the `marts` views now read
    location: str  # the database, without password
    row_counts: dict[str, int]
    loaded: bool  # False when the version was already in the database (a rollback, a re-run)
    switched: bool  # False when `marts` already showed this version
    switch_lock_ms: float | None  # how long the switch held its locks on the `marts` views


def publish_to_postgres(
    url: str,
    version: PublishedVersion,
    keep: int = VERSIONS_TO_KEEP,
    switch_timeout_s: float = 120.0,
    lock_timeout_ms: int = 100,
) -> PostgresPublish:
    """Make `marts.*` in the database show `version` (a DuckDB serving version): load it if needed, then switch.

    Used for every publish and for rollbacks alike. A failure leaves `marts` on the version it showed.
    """
    if keep < 1:
        raise ValueError("keep must be at least 1")
    _refuse_failed_blocking(version.checks)
    tables = list(version.row_counts)
    schema = version_schema(version.id)
    with _connect(url) as con:
        con.execute("SELECT pg_advisory_lock(%s)", [_PUBLISH_LOCK_KEY])  # one publisher at a time, per database
        _prepare(con)
        loaded = not _is_loaded(con, version.id)
        if loaded:
            _load(con, version, schema, tables)
        switched = _current(con) != version.id
        lock_ms = _switch(con, version.id, schema, tables, switch_timeout_s, lock_timeout_ms) if switched else None
        _prune(con, keep, lock_timeout_ms)
    return PostgresPublish(version.id, schema, redact(url), dict(version.row_counts), loaded, switched, lock_ms)


def current_postgres_version(url: str) -> str | None:
    """The version id `marts` shows in the database, or None before the first publish."""
    with _connect(url) as con:
        exists = con.execute("SELECT to_regclass(%s) IS NOT NULL", [f"{META}.current"]).fetchone()[0]
        return _current(con) if exists else None


def postgres_versions(url: str) -> list[str]:
    """Version ids loaded in the database, oldest first."""
    with _connect(url) as con:
        if not con.execute("SELECT to_regclass(%s) IS NOT NULL", [f"{META}.versions"]).fetchone()[0]:
            return []
        return [row[0] for row in con.execute(f"SELECT version_id FROM {META}.versions ORDER BY version_id")]


def version_schema(version_id: str) -> str:
    """`20250301T061500.123456Z` -> `marts_v20250301t061500_123456z` (a plain, unquoted-safe identifier)."""
    return VERSION_PREFIX + re.sub(r"[^a-z0-9]", "_", version_id.lower())


def redact(url: str) -> str:
    """The connection string without its password, for logs and the run summary."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.Error:
        return "(an unreadable PROBATION_SERVING_POSTGRES_URL)"  # its error text could quote the password
    user = f"{parts['user']}@" if parts.get("user") else ""
    port = f":{parts['port']}" if parts.get("port") else ""
    return f"postgresql://{user}{parts.get('host', 'localhost')}{port}/{parts.get('dbname', '')}"


def pg_type(duckdb_type: str) -> str:
    """The PostgreSQL type holding every value of a DuckDB column type; PublishError when there is none."""
    if duckdb_type.endswith("[]"):
        return pg_type(duckdb_type[:-2]) + "[]"
    if duckdb_type.startswith("ENUM("):
        return "text"
    decimal = _DECIMAL.match(duckdb_type)
    if decimal:
        return f"numeric({decimal[1]},{decimal[2]})"
    if duckdb_type in _SCALAR_TYPES:
        return _SCALAR_TYPES[duckdb_type]
    raise PublishError(f"DuckDB type {duckdb_type} has no PostgreSQL equivalent in the serving loader")


# --- connection and bookkeeping --------------------------------------------------------------------


@contextmanager
def _connect(url: str) -> Iterator[psycopg.Connection]:
    try:
        # autocommit: every transaction below is an explicit `con.transaction()`, and no statement outside
        # one leaves a snapshot open while the switch waits for readers' snapshots to go.
        con = psycopg.connect(url, autocommit=True, connect_timeout=10, application_name="probation-serving-publish")
    except psycopg.ProgrammingError:
        raise PublishError(f"{redact(url)}: not a PostgreSQL connection string") from None
    except psycopg.Error as exc:
        raise PublishError(f"cannot connect to PostgreSQL at {redact(url)}: {exc}") from exc
    try:
        yield con
    except psycopg.Error as exc:
        raise PublishError(f"PostgreSQL at {redact(url)}: {exc}; `marts` left as it was") from exc
    finally:
        con.close()


def _prepare(con: psycopg.Connection) -> None:
    """The bookkeeping schema, the `marts` schema and the reader role, created once."""
    with con.transaction():
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {META}")
        con.execute(f"""CREATE TABLE IF NOT EXISTS {META}.versions (
            version_id text PRIMARY KEY, schema_name text NOT NULL, created timestamptz NOT NULL,
            loaded_at timestamptz NOT NULL DEFAULT now(), load_txid bigint NOT NULL,
            row_counts jsonb NOT NULL, checks jsonb NOT NULL)""")
        con.execute(f"""CREATE TABLE IF NOT EXISTS {META}.current (
            one boolean PRIMARY KEY DEFAULT true CHECK (one),
            version_id text NOT NULL REFERENCES {META}.versions, switched_at timestamptz NOT NULL)""")
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {MARTS}")
        foreign = con.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind <> 'v'",
            [MARTS],
        ).fetchall()
        if foreign:
            raise PublishError(
                f"schema {MARTS} holds objects that are not the publisher's views: "
                f"{', '.join(r[0] for r in foreign)}; move them elsewhere first"
            )
    if not con.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [READER_ROLE]).fetchone():
        try:
            with con.transaction():
                con.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(READER_ROLE)))
        except psycopg.errors.InsufficientPrivilege as exc:
            raise PublishError(
                f"role {READER_ROLE} does not exist and this role may not create it; "
                f"ask an administrator: CREATE ROLE {READER_ROLE} NOLOGIN;"
            ) from exc


def _is_loaded(con: psycopg.Connection, version_id: str) -> bool:
    return con.execute(f"SELECT 1 FROM {META}.versions WHERE version_id = %s", [version_id]).fetchone() is not None


def _current(con: psycopg.Connection) -> str | None:
    row = con.execute(f"SELECT version_id FROM {META}.current").fetchone()
    return row[0] if row else None


# --- write and audit -------------------------------------------------------------------------------


def _load(con: psycopg.Connection, version: PublishedVersion, schema: str, tables: list[str]) -> None:
    """Copy every table of the version into a new schema and audit it, in ONE transaction.

    If anything fails (the audit, the server, the connection) the transaction rolls back and the database
    keeps no trace of the version: `marts` and the other versions are untouched.
    """
    source = duckdb.connect(str(Path(version.path) / DB_NAME), read_only=True)
    try:
        with con.transaction():
            con.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
            for table in tables:
                columns = _duckdb_columns(source, table)
                _create_table(con, schema, table, columns)
                _copy_rows(con, source, schema, table, [name for name, _ in columns])
                _audit(con, source, schema, table, [name for name, _ in columns], version.row_counts[table])
            con.execute(
                f"INSERT INTO {META}.versions (version_id, schema_name, created, load_txid, row_counts, checks) "
                "VALUES (%s, %s, %s, txid_current(), %s, %s)",
                [version.id, schema, version.created, Jsonb(version.row_counts), Jsonb(version.checks)],
            )
    finally:
        source.close()


def _duckdb_columns(source: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    columns = source.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'main' "
        "AND table_name = ? ORDER BY ordinal_position",
        [table],
    ).fetchall()
    if not columns:
        raise PublishError(f"table {table} is listed in version.json but missing from the serving version's file")
    return columns


def _create_table(con: psycopg.Connection, schema: str, table: str, columns: list[tuple[str, str]]) -> None:
    try:
        defs = [sql.SQL("{} {}").format(sql.Identifier(name), sql.SQL(pg_type(kind))) for name, kind in columns]
    except PublishError as exc:
        raise PublishError(f"{table}: {exc}") from exc
    con.execute(
        sql.SQL("CREATE TABLE {}.{} ({})").format(
            sql.Identifier(schema), sql.Identifier(table), sql.SQL(", ").join(defs)
        )
    )


def _copy_rows(
    con: psycopg.Connection, source: duckdb.DuckDBPyConnection, schema: str, table: str, names: list[str]
) -> None:
    select = f"SELECT {', '.join(_quote_duckdb(n) for n in names)} FROM main.{_quote_duckdb(table)}"
    result = source.execute(select)
    copy_sql = sql.SQL("COPY {}.{} ({}) FROM STDIN").format(
        sql.Identifier(schema), sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, names))
    )
    with con.cursor() as cur, cur.copy(copy_sql) as copy:
        while batch := result.fetchmany(_COPY_BATCH):
            for row in batch:
                copy.write_row(row)


def _audit(
    con: psycopg.Connection,
    source: duckdb.DuckDBPyConnection,
    schema: str,
    table: str,
    names: list[str],
    manifest_rows: int,
) -> None:
    """Rows and non-null values per column must match the DuckDB version, and its version.json row count."""
    counts = ["count(*)", *(f"count({_quote_duckdb(n)})" for n in names)]
    expected = source.execute(f"SELECT {', '.join(counts)} FROM main.{_quote_duckdb(table)}").fetchone()
    got = con.execute(
        sql.SQL("SELECT count(*), {} FROM {}.{}").format(
            sql.SQL(", ").join(sql.SQL("count({})").format(sql.Identifier(n)) for n in names),
            sql.Identifier(schema),
            sql.Identifier(table),
        )
    ).fetchone()
    if expected[0] != manifest_rows or got[0] != manifest_rows:
        raise PublishError(
            f"{table}: row counts differ (version.json {manifest_rows}, DuckDB serving copy "
            f"{expected[0]}, PostgreSQL {got[0]}); not published"
        )
    differ = [n for n, e, g in zip(names, expected[1:], got[1:], strict=True) if e != g]
    if differ:
        raise PublishError(f"{table}: non-null counts differ between DuckDB and PostgreSQL in {', '.join(differ)}")


def _quote_duckdb(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# --- switch and prune ------------------------------------------------------------------------------


def _switch(
    con: psycopg.Connection, version_id: str, schema: str, tables: list[str], timeout_s: float, lock_timeout_ms: int
) -> float:
    """Repoint the `marts` views at `schema` in one short transaction; return how long it held the locks (ms).

    Before locking, wait until no other session holds a snapshot older than the version's load: such a
    snapshot could not see the new tables' rows. Then ask for the view locks with a short lock_timeout
    (readers queue behind a waiting lock request, so it must not wait long) and retry until `timeout_s`.
    """
    deadline = time.monotonic() + timeout_s
    pause = 0.02
    while True:
        waiting_for = _older_snapshots(con, version_id)
        if not waiting_for:
            try:
                return _switch_once(con, version_id, schema, tables, lock_timeout_ms)
            except psycopg.errors.LockNotAvailable:
                waiting_for = _view_lock_holders(con)
        if time.monotonic() > deadline:
            raise PublishError(
                f"could not switch {MARTS} to {version_id} within {timeout_s:.0f} s: sessions {waiting_for} "
                f"kept a transaction open on it; the version is loaded ({schema}), {MARTS} is unchanged"
            )
        time.sleep(pause)
        pause = min(pause * 2, 1.0)


def _switch_once(
    con: psycopg.Connection, version_id: str, schema: str, tables: list[str], lock_timeout_ms: int
) -> float:
    with con.transaction():
        con.execute(sql.SQL("SET LOCAL lock_timeout = {}").format(sql.Literal(f"{lock_timeout_ms}ms")))
        old_views = [
            r[0] for r in con.execute("SELECT viewname FROM pg_views WHERE schemaname = %s ORDER BY viewname", [MARTS])
        ]
        if old_views:
            con.execute(
                sql.SQL("LOCK TABLE {} IN ACCESS EXCLUSIVE MODE").format(
                    sql.SQL(", ").join(sql.Identifier(MARTS, v) for v in old_views)
                )
            )
        locked = time.perf_counter()
        # One round trip for all the catalogue changes: the locks are held for as short as possible.
        con.execute(sql.SQL("; ").join(_switch_statements(version_id, schema, tables, old_views)))
    return (time.perf_counter() - locked) * 1000  # the locks are released by the commit


def _switch_statements(version_id: str, schema: str, tables: list[str], old_views: list[str]) -> list[sql.Composed]:
    marts, reader = sql.Identifier(MARTS), sql.Identifier(READER_ROLE)
    statements = [sql.SQL("DROP VIEW {}").format(sql.Identifier(MARTS, view)) for view in old_views]
    for table in tables:
        view = sql.Identifier(MARTS, table)
        statements += [
            sql.SQL("CREATE VIEW {} AS SELECT * FROM {}").format(view, sql.Identifier(schema, table)),
            sql.SQL("GRANT SELECT ON {} TO {}").format(view, reader),
        ]
    return [
        *statements,
        sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(marts, reader),
        sql.SQL("COMMENT ON SCHEMA {} IS {}").format(
            marts, sql.Literal(f"probation inspection marts, serving version {version_id}")
        ),
        sql.SQL(
            "INSERT INTO {}.current (version_id, switched_at) VALUES ({}, now()) ON CONFLICT (one) "
            "DO UPDATE SET version_id = excluded.version_id, switched_at = excluded.switched_at"
        ).format(sql.Identifier(META), sql.Literal(version_id)),
    ]


def _older_snapshots(con: psycopg.Connection, version_id: str) -> list[int]:
    """Other sessions of this database whose snapshot predates the version's load (they would not see its rows).

    Conservative: backend_xmin is the oldest transaction running when the snapshot was taken, so a session
    may wait here a little longer than strictly needed, never shorter.
    """
    rows = con.execute(
        f"""SELECT a.pid FROM pg_stat_activity a, {META}.versions v
            WHERE v.version_id = %s AND a.datname = current_database() AND a.pid <> pg_backend_pid()
              AND a.usesysid IS NOT NULL -- sessions of a role, not autovacuum (backend_type is hidden from non-superusers)
              AND a.backend_xmin IS NOT NULL
              AND age(a.backend_xmin) >= age((v.load_txid %% 4294967296)::text::xid)""",
        [version_id],
    ).fetchall()
    return [r[0] for r in rows]


def _view_lock_holders(con: psycopg.Connection) -> list[int]:
    rows = con.execute(
        """SELECT DISTINCT l.pid FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
           JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = %s AND l.granted AND l.pid <> pg_backend_pid()""",
        [MARTS],
    ).fetchall()
    return [r[0] for r in rows]


def _prune(con: psycopg.Connection, keep: int, lock_timeout_ms: int) -> None:
    """Drop versions beyond the newest `keep`, never the current one; one still being read is left for later."""
    current = _current(con)
    ids = [r[0] for r in con.execute(f"SELECT version_id FROM {META}.versions ORDER BY version_id")]
    for version_id in ids[:-keep]:
        if version_id == current:
            continue
        try:
            with con.transaction():
                con.execute(sql.SQL("SET LOCAL lock_timeout = {}").format(sql.Literal(f"{lock_timeout_ms}ms")))
                con.execute(
                    sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(version_schema(version_id)))
                )
                con.execute(f"DELETE FROM {META}.versions WHERE version_id = %s", [version_id])
        except psycopg.errors.LockNotAvailable:
            continue  # a long query still reads it (started before a switch); the next publish drops it
