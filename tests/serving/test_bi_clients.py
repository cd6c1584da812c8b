"""The serving copy as BI tools meet it: an older DuckDB client, and SQLAlchemy's inspector (Superset).

Built from real dbt marts (tests/dbt's crafted sample through `dbt build`), so every mart type is covered.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from serving.publish import DB_NAME, MART_TABLES, PublishError, publish
from tests.dbt.warehouse_fixtures import shared_build

pytestmark = pytest.mark.slow  # one `dbt build` per test process (shared with tests/dbt)

# The DuckDB 1.x command-line client from PyPI (`duckdb-cli`, a dev dependency), beside this Python.
DUCKDB_CLI = Path(sys.executable).parent / "duckdb"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Path:
    serving = tmp_path_factory.mktemp("serving")
    publish(shared_build().warehouse, serving, MART_TABLES, [])
    return serving


def working_columns(table: str) -> list[tuple[str, str]]:
    with duckdb.connect(str(shared_build().warehouse), read_only=True) as con:
        return con.execute(
            "SELECT column_name, data_type FROM information_schema.columns"
            " WHERE table_schema = 'marts' AND table_name = ? ORDER BY ordinal_position",
            [table],
        ).fetchall()


def cli_query(db: Path, sql: str) -> list[list[str]]:
    result = subprocess.run(
        [str(DUCKDB_CLI), "-readonly", "-csv", str(db), "-c", sql], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and not result.stderr, result.stderr
    return list(csv.reader(io.StringIO(result.stdout)))


@pytest.fixture(scope="module")
def cli_version() -> str:
    if not DUCKDB_CLI.exists():
        pytest.skip(f"duckdb-cli not installed at {DUCKDB_CLI} (make install adds it)")
    version = subprocess.run([str(DUCKDB_CLI), "-version"], capture_output=True, text=True, timeout=30).stdout
    assert version.startswith("v1."), f"expected a DuckDB 1.x CLI, got {version!r}"
    return version


def test_duckdb_1x_cli_reads_every_mart_with_its_types(served: Path, cli_version: str) -> None:
    db = served / DB_NAME
    with duckdb.connect(str(shared_build().warehouse), read_only=True) as con:
        expected_counts = {t: con.execute(f"SELECT count(*) FROM marts.{t}").fetchone()[0] for t in MART_TABLES}
    for table in MART_TABLES:
        header, *rows = cli_query(db, f"SELECT * FROM marts.{table}")
        assert len(rows) == expected_counts[table], table
        assert header == [name for name, _ in working_columns(table)], table
        types = cli_query(
            db,
            "SELECT column_name, data_type FROM information_schema.columns"
            f" WHERE table_name = '{table}' ORDER BY ordinal_position",
        )[1:]
        assert [tuple(row) for row in types] == working_columns(table), table


def test_the_working_warehouse_stays_in_duckdb_2_format(served: Path, cli_version: str) -> None:
    # Only the serving copy is written in the older format: a 1.x client cannot open the working file.
    copy = served.parent / "working-copy.duckdb"
    shutil.copy(shared_build().warehouse, copy)
    result = subprocess.run(
        [str(DUCKDB_CLI), "-readonly", str(copy), "-c", "SELECT 1"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0 and "version number" in result.stderr


def test_a_mart_type_the_serving_format_cannot_hold_fails_the_publish(tmp_path: Path) -> None:
    working = tmp_path / "working.duckdb"
    with duckdb.connect(str(working)) as con:
        con.execute("CREATE SCHEMA marts")
        con.execute("CREATE TABLE marts.inspections AS SELECT 'dorset-2023-08' AS inspection_id, 1::VARIANT AS extra")
    serving = tmp_path / "serving"
    with pytest.raises(PublishError, match="VARIANT"):
        publish(working, serving, ["inspections"], [])
    assert not (serving / DB_NAME).exists()


# --- SQLAlchemy (duckdb-engine), as Superset lists schemas, tables and columns --------------------------


@pytest.fixture(scope="module")
def inspector(served: Path):
    sqlalchemy = pytest.importorskip("sqlalchemy")
    pytest.importorskip("duckdb_engine")
    engine = sqlalchemy.create_engine(f"duckdb:///{served / DB_NAME}?access_mode=read_only")
    yield sqlalchemy.inspect(engine)
    engine.dispose()


def test_sqlalchemy_lists_the_marts_under_the_documented_schema(inspector) -> None:
    # The schema a Superset user picks from the list (docs/serving.md): the file's catalog, schema main.
    assert "marts.main" in inspector.get_schema_names()
    assert sorted(inspector.get_table_names(schema="marts.main")) == sorted(MART_TABLES)
    assert sorted(inspector.get_table_names(schema="main")) == sorted(MART_TABLES)


@pytest.mark.parametrize("table", MART_TABLES)
def test_sqlalchemy_reflects_every_column(inspector, table: str) -> None:
    columns = inspector.get_columns(table, schema="marts.main")
    assert [c["name"] for c in columns] == [name for name, _ in working_columns(table)]
