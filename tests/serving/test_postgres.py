"""PostgreSQL serving target against a real throwaway server: write-audit-publish, readers, rollback, privileges."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import duckdb
import psycopg
import pytest

from serving.postgres import (
    MARTS,
    _audit,
    _copy_rows,
    _create_table,
    _duckdb_columns,
    current_postgres_version,
    pg_type,
    postgres_versions,
    publish_to_postgres,
    version_schema,
)
from serving.publish import DB_NAME, MART_TABLES, PublishedVersion, PublishError, publish
from tests.serving.conftest import PgDatabase
from tests.serving.marts_data import add_inspection
from tests.serving.test_cli_and_clients import CHECKS, cli

pytestmark = pytest.mark.postgres


def serve(warehouse: Path, tables: list[str] = MART_TABLES) -> PublishedVersion:
    """A new DuckDB serving version of the working warehouse (the input of every PostgreSQL publish)."""
    return publish(warehouse, warehouse.parent, tables, CHECKS)


def pg_rows(url: str, sql: str) -> list[tuple]:
    with psycopg.connect(url) as con:
        return con.execute(sql).fetchall()


def pg_counts(url: str, tables: list[str] = MART_TABLES) -> dict[str, int]:
    with psycopg.connect(url) as con:
        return {t: con.execute(f"SELECT count(*) FROM {MARTS}.{t}").fetchone()[0] for t in tables}


def ordered(rows: list[tuple]) -> list[tuple]:
    return sorted(rows, key=lambda row: tuple((v is None, str(v)) for v in row))


def assert_same_as_duckdb(url: str, version: PublishedVersion) -> None:
    """Every mart of the version, row for row and value for value (Python types included)."""
    with duckdb.connect(str(version.path / DB_NAME), read_only=True) as source:
        for table in version.row_counts:
            expected = ordered(source.execute(f"SELECT * FROM main.{table}").fetchall())
            got = ordered(pg_rows(url, f"SELECT * FROM {MARTS}.{table}"))
            assert got == expected, table
            assert [tuple(map(type, r)) for r in got] == [tuple(map(type, r)) for r in expected], table


def test_first_publish_serves_every_mart_row_for_row_with_the_contract_types(warehouse: Path, pg_db: PgDatabase):
    version = serve(warehouse)
    done = publish_to_postgres(pg_db.owner_url, version)

    assert (done.version_id, done.loaded, done.switched) == (version.id, True, True)
    assert done.schema == version_schema(version.id) and done.switch_lock_ms is not None
    assert "probation_owner@127.0.0.1" in done.location and "/probation_" in done.location
    assert current_postgres_version(pg_db.owner_url) == version.id
    assert pg_counts(pg_db.reader_url) == version.row_counts
    assert_same_as_duckdb(pg_db.reader_url, version)
    types = dict(
        pg_rows(
            pg_db.owner_url,
            "SELECT table_name || '.' || column_name, data_type "
            "FROM information_schema.columns WHERE table_schema = 'marts'",
        )
    )
    assert types["inspections.score"] == "integer"  # integers stay integers
    assert types["inspections.published_month"] == "date"  # months as in the contract
    assert types["inspections.score_pct"] == "double precision"
    assert types["ratings.discretion_applied"] == "boolean"
    assert types["inspections.pdu_name"] == "text"


def test_second_publish_with_a_changed_report_switches_all_marts_and_keeps_the_old_version(
    warehouse: Path, pg_db: PgDatabase
):
    first = serve(warehouse)
    publish_to_postgres(pg_db.owner_url, first)
    add_inspection(warehouse)
    second = serve(warehouse)
    done = publish_to_postgres(pg_db.owner_url, second)

    assert done.switched and current_postgres_version(pg_db.owner_url) == second.id
    assert pg_counts(pg_db.reader_url) == second.row_counts
    assert pg_counts(pg_db.reader_url)["inspections"] == first.row_counts["inspections"] + 1
    assert_same_as_duckdb(pg_db.reader_url, second)
    assert postgres_versions(pg_db.owner_url) == [first.id, second.id]
    # Publishing the same version again loads nothing and switches nothing.
    again = publish_to_postgres(pg_db.owner_url, second)
    assert (again.loaded, again.switched, again.switch_lock_ms) == (False, False, None)


def test_a_reader_transaction_keeps_its_snapshot_and_is_never_blocked_for_long(warehouse: Path, pg_db: PgDatabase):
    first = serve(warehouse)
    publish_to_postgres(pg_db.owner_url, first)
    add_inspection(warehouse)
    second = serve(warehouse)

    outcome: dict = {}

    def publisher() -> None:
        try:
            outcome["done"] = publish_to_postgres(pg_db.owner_url, second, switch_timeout_s=60)
        except Exception as exc:  # reported by the assertions below
            outcome["error"] = exc

    with psycopg.connect(pg_db.reader_url) as reader:
        reader.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        assert pg_counts_in(reader) == first.row_counts
        thread = threading.Thread(target=publisher)
        thread.start()
        slowest = 0.0
        for _ in range(30):  # ~3 s of reading while the publish loads and tries to switch
            started = time.perf_counter()
            assert pg_counts_in(reader) == first.row_counts  # its snapshot: the old version, every table
            slowest = max(slowest, time.perf_counter() - started)
            time.sleep(0.1)
        assert "done" not in outcome, "the switch must wait for the reader's transaction"
        reader.execute("COMMIT")
        thread.join(timeout=60)
        assert "error" not in outcome, outcome.get("error")
        assert pg_counts_in(reader) == second.row_counts  # a new transaction sees the new version
    assert slowest < 1.0, f"a read waited {slowest:.2f} s behind the switch"
    assert outcome["done"].switch_lock_ms < 1000


def test_a_snapshot_older_than_the_load_delays_the_switch_instead_of_seeing_empty_marts(
    warehouse: Path, pg_db: PgDatabase
):
    first = serve(warehouse)
    publish_to_postgres(pg_db.owner_url, first)
    add_inspection(warehouse)
    second = serve(warehouse)

    with psycopg.connect(pg_db.reader_url) as reader:
        reader.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        reader.execute("SELECT 1")  # the snapshot is taken here, before the new version is loaded
        with pytest.raises(PublishError, match="could not switch"):
            publish_to_postgres(pg_db.owner_url, second, switch_timeout_s=1.5)
        # Had the switch gone ahead, this snapshot would read the new, for it invisible, tables: zero rows.
        assert pg_counts_in(reader) == first.row_counts
        reader.execute("COMMIT")
    assert current_postgres_version(pg_db.owner_url) == first.id
    done = publish_to_postgres(pg_db.owner_url, second)  # already loaded: only the switch is left
    assert (done.loaded, done.switched) == (False, True)
    assert pg_counts(pg_db.reader_url) == second.row_counts


def pg_counts_in(con: psycopg.Connection) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {MARTS}.{t}").fetchone()[0] for t in MART_TABLES}


def test_a_load_killed_half_way_leaves_marts_untouched(warehouse: Path, pg_db: PgDatabase):
    first = serve(warehouse)
    publish_to_postgres(pg_db.owner_url, first)
    with duckdb.connect(str(warehouse)) as con:  # big enough that the COPY runs for a while
        con.execute(
            "INSERT INTO marts.findings SELECT 'dorset-2023-08', '1.1', 'strength', 'finding ' || i "
            "FROM range(300000) t(i)"
        )
    second = serve(warehouse)

    outcome: dict = {}
    thread = threading.Thread(target=lambda: outcome.setdefault("error", _publish_error(pg_db, second)))
    thread.start()
    killed = _terminate_when_copying(pg_db.admin_url)
    thread.join(timeout=120)

    assert killed, "never saw the publisher's COPY"
    assert isinstance(outcome["error"], PublishError) and "left as it was" in str(outcome["error"])
    assert current_postgres_version(pg_db.owner_url) == first.id
    assert pg_counts(pg_db.reader_url) == first.row_counts
    assert postgres_versions(pg_db.owner_url) == [first.id]
    with psycopg.connect(pg_db.admin_url) as admin:
        leftover = admin.execute("SELECT to_regnamespace(%s)", [version_schema(second.id)]).fetchone()[0]
    assert leftover is None
    # The next attempt starts clean and succeeds.
    assert publish_to_postgres(pg_db.owner_url, second).loaded
    assert pg_counts(pg_db.reader_url)["findings"] == second.row_counts["findings"]


def _publish_error(pg_db: PgDatabase, version: PublishedVersion) -> Exception | None:
    try:
        publish_to_postgres(pg_db.owner_url, version)
    except Exception as exc:
        return exc
    return None


def _terminate_when_copying(admin_url: str, timeout_s: float = 60) -> bool:
    deadline = time.monotonic() + timeout_s
    with psycopg.connect(admin_url, autocommit=True) as admin:
        while time.monotonic() < deadline:
            row = admin.execute(
                "SELECT pid FROM pg_stat_activity WHERE application_name = "
                "'probation-serving-publish' AND query LIKE 'COPY%%' AND state = 'active'"
            ).fetchone()
            if row:
                return admin.execute("SELECT pg_terminate_backend(%s)", [row[0]]).fetchone()[0]
            time.sleep(0.005)
    return False


def test_audit_refuses_a_version_whose_manifest_disagrees_with_its_data(warehouse: Path, pg_db: PgDatabase):
    first = serve(warehouse)
    publish_to_postgres(pg_db.owner_url, first)
    add_inspection(warehouse)
    second = serve(warehouse)
    manifest = json.loads((second.path / "version.json").read_text())
    manifest["row_counts"]["inspections"] += 1  # a version.json that does not describe its file
    (second.path / "version.json").write_text(json.dumps(manifest))

    with pytest.raises(PublishError, match="inspections: row counts differ"):
        publish_to_postgres(pg_db.owner_url, PublishedVersion.load(second.path))
    assert current_postgres_version(pg_db.owner_url) == first.id
    assert postgres_versions(pg_db.owner_url) == [first.id]


def test_a_version_with_a_failed_blocking_check_is_refused(warehouse: Path, pg_db: PgDatabase):
    version = serve(warehouse)
    bad = PublishedVersion(
        version.id,
        version.created,
        version.path,
        version.row_counts,
        [{"name": "inspection_id_unique", "severity": "ERROR", "passed": False}],
    )
    with pytest.raises(PublishError, match="blocking checks failed"):
        publish_to_postgres(pg_db.owner_url, bad)
    assert current_postgres_version(pg_db.owner_url) is None


def test_rollback_switches_postgres_back_too(warehouse: Path, pg_db: PgDatabase, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PROBATION_SERVING_POSTGRES_URL", pg_db.owner_url)
    first = serve(warehouse)
    publish_to_postgres(pg_db.owner_url, first)
    add_inspection(warehouse)
    second = serve(warehouse)
    publish_to_postgres(pg_db.owner_url, second)

    result = cli(warehouse, "rollback")
    assert result.returncode == 0, result.stderr
    assert f"postgres: marts now at version {first.id}" in result.stdout
    assert current_postgres_version(pg_db.owner_url) == first.id
    assert pg_counts(pg_db.reader_url) == first.row_counts

    result = cli(warehouse, "rollback", "--to", second.id)
    assert result.returncode == 0, result.stderr
    assert pg_counts(pg_db.reader_url) == second.row_counts

    monkeypatch.setenv("PROBATION_SERVING_POSTGRES_URL", "postgresql://probation_owner@127.0.0.1:1/probation")
    down = cli(warehouse, "rollback")
    assert down.returncode == 1
    assert f"the DuckDB serving copy is at {first.id}, PostgreSQL was not switched: cannot connect" in down.stderr


def test_cli_postgres_catches_up_with_the_serving_copy(
    warehouse: Path, pg_db: PgDatabase, monkeypatch: pytest.MonkeyPatch
):
    assert "PROBATION_SERVING_POSTGRES_URL is not set" in cli(warehouse, "postgres").stderr
    monkeypatch.setenv("PROBATION_SERVING_POSTGRES_URL", pg_db.owner_url)
    assert "nothing published" in cli(warehouse, "postgres").stderr
    version = serve(warehouse)  # published while the database was not set up / down

    result = cli(warehouse, "postgres")
    assert result.returncode == 0, result.stderr
    assert f"postgres: marts now at version {version.id} in postgresql://probation_owner@" in result.stdout
    assert pg_counts(pg_db.reader_url) == version.row_counts


def test_rollback_to_a_version_pruned_from_postgres_loads_it_again(warehouse: Path, pg_db: PgDatabase):
    first = serve(warehouse)
    publish_to_postgres(pg_db.owner_url, first, keep=1)
    add_inspection(warehouse)
    second = serve(warehouse)
    publish_to_postgres(pg_db.owner_url, second, keep=1)
    assert postgres_versions(pg_db.owner_url) == [second.id]  # keep=1: the first is gone from PostgreSQL

    back = publish_to_postgres(pg_db.owner_url, first, keep=1)
    assert (back.loaded, back.switched) == (True, True)
    assert pg_counts(pg_db.reader_url) == first.row_counts
    # As in the DuckDB serving copy: the newest `keep` versions stay, and the current one is never pruned.
    assert postgres_versions(pg_db.owner_url) == [first.id, second.id]


def test_publishing_keeps_the_last_versions_only(warehouse: Path, pg_db: PgDatabase):
    ids = []
    for _ in range(4):
        version = serve(warehouse)
        publish_to_postgres(pg_db.owner_url, version, keep=2)
        ids.append(version.id)
    assert postgres_versions(pg_db.owner_url) == ids[-2:]
    schemas = {r[0] for r in pg_rows(pg_db.owner_url, "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'marts_v%'")}
    assert schemas == {version_schema(i) for i in ids[-2:]}


def test_new_mart_tables_are_published_without_code_changes(warehouse: Path, pg_db: PgDatabase):
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "CREATE TABLE marts.quarantined_files (file_path VARCHAR, content_sha256 VARCHAR, "
            "size_bytes BIGINT, reason VARCHAR, quarantined_at TIMESTAMP)"
        )
        con.execute(
            "INSERT INTO marts.quarantined_files VALUES ('x.pdf', 'ab', 12345678901, 'encrypted', "
            "TIMESTAMP '2025-03-01 06:15:00.123456'), (NULL, NULL, NULL, NULL, NULL)"
        )
    with_extra = serve(warehouse, [*MART_TABLES, "quarantined_files"])
    publish_to_postgres(pg_db.owner_url, with_extra)
    assert_same_as_duckdb(pg_db.reader_url, with_extra)
    types = dict(
        pg_rows(
            pg_db.owner_url,
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'marts' AND table_name = 'quarantined_files'",
        )
    )
    assert types["size_bytes"] == "bigint" and types["quarantined_at"] == "timestamp without time zone"

    without = serve(warehouse)  # a later version without the table: its view goes
    publish_to_postgres(pg_db.owner_url, without)
    views = {r[0] for r in pg_rows(pg_db.owner_url, "SELECT viewname FROM pg_views WHERE schemaname = 'marts'")}
    assert views == set(MART_TABLES)


def test_duckdb_types_round_trip_with_their_values(tmp_path: Path, pg_db: PgDatabase):
    warehouse = tmp_path / "w" / "probation.duckdb"
    warehouse.parent.mkdir()
    with duckdb.connect(str(warehouse)) as con:
        con.execute("CREATE SCHEMA marts")
        con.execute("""CREATE TABLE marts.kinds AS SELECT
            1::TINYINT AS ti, 2::SMALLINT AS si, 3::INTEGER AS i, 9007199254740993::BIGINT AS bi,
            170141183460469231731687303715884105727::HUGEINT AS hi, 255::UTINYINT AS ut, 18446744073709551615::UBIGINT AS ub,
            1.5::FLOAT AS f, 0.1::DOUBLE AS d, 12345.67::DECIMAL(10,2) AS dec, 'naïve ''quote'' \t tab'::VARCHAR AS s,
            DATE '2024-10-01' AS dt, TIME '06:15:00' AS tm, TIMESTAMP '2024-10-01 06:15:00.5' AS ts,
            TIMESTAMPTZ '2024-10-01 06:15:00+00' AS tstz, INTERVAL 90 MINUTE AS iv, '\\x00\\xff'::BLOB AS bl,
            'a2f1c1d8-3b7e-4c1a-9c53-3a6f3f8f2b10'::UUID AS u, ['a', NULL, 'c,"d"'] AS arr, [1, 2]::INTEGER[] AS ints,
            true AS b, NULL::INTEGER AS nothing""")
    version = publish(warehouse, warehouse.parent, ["kinds"], [])
    publish_to_postgres(pg_db.owner_url, version)
    with duckdb.connect(str(version.path / DB_NAME), read_only=True) as source:
        expected = source.execute("SELECT * FROM main.kinds").fetchall()
    got = pg_rows(pg_db.owner_url, "SELECT * FROM marts.kinds")
    assert got[0][:-1] == expected[0][:-1] and got[0][-1] is None


def test_types_without_a_postgres_equivalent_are_refused_by_name() -> None:
    assert pg_type("DECIMAL(18,3)") == "numeric(18,3)" and pg_type("VARCHAR[][]") == "text[][]"
    with pytest.raises(PublishError, match="STRUCT"):
        pg_type("STRUCT(a INTEGER)")
    with pytest.raises(PublishError, match="TIMESTAMP_NS"):
        pg_type("TIMESTAMP_NS")  # PostgreSQL keeps microseconds: nanoseconds would be silently cut


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO marts.inspections (inspection_id) VALUES ('x')",
        "UPDATE marts.inspections SET score = 0",
        "DELETE FROM marts.ratings",
        "TRUNCATE {version}.pdus",
        "ALTER VIEW marts.pdus RENAME TO mine",
        "DROP VIEW marts.pdus",
        "CREATE TABLE marts.mine (x int)",
        "CREATE VIEW marts.mine AS SELECT 1",
        "CREATE TABLE public.mine (x int)",
        "CREATE SCHEMA mine",
        "CREATE TEMP TABLE mine (x int)",
        "SELECT * FROM {version}.inspections",
        "SELECT * FROM serving_meta.versions",
        "SELECT * FROM raw.report_files",
        "SELECT * FROM staging.stg_inspections",
        "INSERT INTO {version}.inspections (inspection_id) VALUES ('x')",
    ],
)
def test_the_reader_role_can_select_marts_and_nothing_else(warehouse: Path, pg_db: PgDatabase, statement: str):
    version = serve(warehouse)
    publish_to_postgres(pg_db.owner_url, version)
    with psycopg.connect(pg_db.owner_url, autocommit=True) as owner:  # other schemas the pipeline's role owns
        owner.execute(
            "CREATE SCHEMA raw; CREATE TABLE raw.report_files (x int); "
            "CREATE SCHEMA staging; CREATE TABLE staging.stg_inspections (x int)"
        )
    with psycopg.connect(pg_db.reader_url, autocommit=True) as reader:
        assert reader.execute("SELECT count(*) FROM marts.inspections").fetchone()[0] == 3
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            reader.execute(statement.format(version=version_schema(version.id)))


def test_text_postgres_cannot_store_refuses_the_publish(warehouse: Path, pg_db: PgDatabase):
    first = serve(warehouse)
    publish_to_postgres(pg_db.owner_url, first)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("UPDATE marts.findings SET text = 'broken' || chr(0) || 'text' WHERE kind = 'strength'")
    broken = serve(warehouse)

    with pytest.raises(PublishError, match="left as it was"):
        publish_to_postgres(pg_db.owner_url, broken)
    assert current_postgres_version(pg_db.owner_url) == first.id
    assert postgres_versions(pg_db.owner_url) == [first.id]


def test_the_audit_catches_values_lost_on_the_way(warehouse: Path, pg_db: PgDatabase):
    version = serve(warehouse)
    with (
        psycopg.connect(pg_db.owner_url, autocommit=True) as con,
        duckdb.connect(str(version.path / DB_NAME), read_only=True) as source,
    ):
        con.execute("CREATE SCHEMA copied")
        columns = _duckdb_columns(source, "ratings")
        names = [name for name, _ in columns]
        _create_table(con, "copied", "ratings", columns)
        _copy_rows(con, source, "copied", "ratings", names)
        _audit(con, source, "copied", "ratings", names, version.row_counts["ratings"])  # a faithful copy passes
        con.execute("UPDATE copied.ratings SET band_rating = NULL WHERE band_rating IS NOT NULL")
        with pytest.raises(PublishError, match="non-null counts differ .* in band_rating"):
            _audit(con, source, "copied", "ratings", names, version.row_counts["ratings"])
