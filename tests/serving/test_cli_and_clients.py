"""`inspections serving ...` through the real entry point, and the documented ways BI clients connect."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from serving.publish import MART_TABLES, current_version, list_versions, publish
from tests.serving.marts_data import add_inspection, mart_counts

ROOT = Path(__file__).resolve().parents[2]
CHECKS = [{"name": "marts_inspections_unique_id", "severity": "ERROR", "passed": True}]


def cli(warehouse: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PROBATION_WAREHOUSE": str(warehouse)}
    return subprocess.run(
        [sys.executable, "-m", "cli.main", "serving", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_list_marks_the_current_version(warehouse: Path, serving: Path) -> None:
    empty = cli(warehouse, "list")
    assert empty.returncode == 0 and "no published versions" in empty.stdout

    first = publish(warehouse, serving, MART_TABLES, CHECKS)
    add_inspection(warehouse)
    second = publish(warehouse, serving, MART_TABLES, CHECKS)
    result = cli(warehouse, "list")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"  {first.id}") and "inspections 3" in lines[0]
    assert (
        lines[1].startswith(f"* {second.id}")
        and "inspections 4" in lines[1]
        and "checks: blocking 1/1 passed, warnings 0/0 passed" in lines[1]
    )


def test_cli_rollback_previous_and_to_version(warehouse: Path, serving: Path) -> None:
    first = publish(warehouse, serving, MART_TABLES, CHECKS)
    add_inspection(warehouse)
    second = publish(warehouse, serving, MART_TABLES, CHECKS)

    result = cli(warehouse, "rollback")
    assert result.returncode == 0, result.stderr
    assert first.id in result.stdout and current_version(serving).id == first.id
    assert mart_counts(serving / "marts.duckdb")["inspections"] == 3

    result = cli(warehouse, "rollback", "--to", second.id)
    assert result.returncode == 0, result.stderr
    assert mart_counts(serving / "marts.duckdb")["inspections"] == 4

    bad = cli(warehouse, "rollback", "--to", "nope")
    assert bad.returncode == 1 and "unknown version" in bad.stderr
    assert current_version(serving).id == second.id


def test_cli_publish_warns_and_dashboard_builds(warehouse: Path, serving: Path) -> None:
    no_data = cli(warehouse, "dashboard")
    assert no_data.returncode == 1 and "nothing published" in no_data.stderr

    result = cli(warehouse, "publish")
    assert result.returncode == 0, result.stderr
    assert "warning" in result.stderr.lower()
    assert len(list_versions(serving)) == 1

    result = cli(warehouse, "dashboard")
    assert result.returncode == 0, result.stderr
    assert (serving / "dashboard.html").is_file()


def test_cli_publish_fails_cleanly_without_a_warehouse(tmp_path: Path) -> None:
    result = cli(tmp_path / "missing" / "probation.duckdb", "publish")
    assert result.returncode == 1 and "not found" in result.stderr


# --- the connection recipes of docs/serving.md --------------------------------------------------------


@pytest.fixture
def served(warehouse: Path, serving: Path) -> Path:
    publish(warehouse, serving, MART_TABLES, CHECKS)
    return serving


def test_python_read_only_connection(served: Path) -> None:
    con = duckdb.connect(str(served / "marts.duckdb"), read_only=True)
    try:
        # The catalog is named after the file (`marts`): `marts.<table>` and bare names both read the marts.
        assert con.execute("SELECT count(*) FROM marts.inspections").fetchone()[0] == 3
        assert con.execute("SELECT count(*) FROM ratings").fetchone()[0] == 25
        with pytest.raises(duckdb.Error):
            con.execute("CREATE TABLE scratch (a INTEGER)")
    finally:
        con.close()


def test_attach_under_an_alias(served: Path) -> None:
    con = duckdb.connect()
    con.execute("ATTACH ? AS serving (READ_ONLY)", [str(served / "marts.duckdb")])
    assert con.execute("SELECT count(*) FROM serving.inspections").fetchone()[0] == 3


@pytest.mark.parametrize("how", ["url", "connect_args"])
def test_sqlalchemy_read_only(served: Path, how: str) -> None:
    sqlalchemy = pytest.importorskip("sqlalchemy")
    pytest.importorskip("duckdb_engine")
    db = served / "marts.duckdb"
    if how == "url":
        engine = sqlalchemy.create_engine(f"duckdb:///{db}?access_mode=read_only")
    else:
        engine = sqlalchemy.create_engine(f"duckdb:///{db}", connect_args={"read_only": True})
    try:
        frame = pd.read_sql(sqlalchemy.text("SELECT pdu_name, score FROM marts.inspections ORDER BY 1"), engine)
        assert frame["pdu_name"].tolist() == ["Doncaster", "Dorset", "Portsmouth and the Isle of Wight"]
        assert sorted(sqlalchemy.inspect(engine).get_table_names()) == sorted(MART_TABLES)
        with engine.connect() as conn, pytest.raises(sqlalchemy.exc.DBAPIError):
            conn.execute(sqlalchemy.text("CREATE TABLE marts.scratch (a INTEGER)"))
    finally:
        engine.dispose()


def test_parquet_readers(served: Path) -> None:
    frame = pd.read_parquet(served / "parquet" / "inspections.parquet")
    assert set(frame["pdu_name"]) == {"Dorset", "Portsmouth and the Isle of Wight", "Doncaster"}
    # One version for a multi-file read: resolve the symlinked folder once, then read inside it.
    folder = (served / "parquet").resolve()
    tables = {t: pd.read_parquet(folder / f"{t}.parquet") for t in MART_TABLES}
    assert {t: len(f) for t, f in tables.items()} == current_version(served).row_counts
