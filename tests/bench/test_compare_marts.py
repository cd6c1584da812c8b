"""bench/compare_marts.py says "same" only for marts equal in name, columns, types, rows and row order."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from bench.compare_marts import compare


def _warehouse(path: Path, *statements: str) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        for statement in statements:
            con.execute(statement)
    return path


BASE = (
    "create table marts.ratings as select * from (values ('a', 1, 0.5), ('b', 2, 1.5)) t(id, points, share)",
    "create table marts.pdus as select 'Dorset' as pdu_name",
)


def test_equal_marts_are_the_same(tmp_path: Path) -> None:
    lines = compare(_warehouse(tmp_path / "base.duckdb", *BASE), _warehouse(tmp_path / "head.duckdb", *BASE))
    assert lines == ["same      pdus: 1 rows", "same      ratings: 2 rows"]


@pytest.mark.parametrize(
    ("ratings", "message"),
    [
        ("select * from (values ('a', 1, 0.5), ('b', 3, 1.5)) t(id, points, share)", "row 2"),
        ("select * from (values ('b', 2, 1.5), ('a', 1, 0.5)) t(id, points, share)", "row 1"),
        ("select * from (values ('a', 1, 0.5)) t(id, points, share)", "2 rows -> 1 rows"),
        ("select * from (values ('a', 1::bigint, 0.5), ('b', 2, 1.5)) t(id, points, share)", "columns"),
        ("select * from (values ('a', 1, 0.5), ('b', 2, 1.5)) t(id, rating_points, share)", "columns"),
    ],
)
def test_a_changed_mart_is_reported(tmp_path: Path, ratings: str, message: str) -> None:
    head = _warehouse(tmp_path / "head.duckdb", f"create table marts.ratings as {ratings}", BASE[1])
    lines = compare(_warehouse(tmp_path / "base.duckdb", *BASE), head)
    assert lines[0] == "same      pdus: 1 rows"
    assert lines[1].startswith("DIFFERENT ratings:") and message in lines[1], lines[1]


def test_a_missing_mart_is_reported(tmp_path: Path) -> None:
    lines = compare(_warehouse(tmp_path / "base.duckdb", *BASE), _warehouse(tmp_path / "head.duckdb", BASE[0]))
    assert lines[0] == "DIFFERENT pdus: only in base"


def _incremental(*statements: str) -> tuple[str, ...]:
    """A warehouse whose incremental state lists ratings: compare_marts compares that mart's rows sorted."""
    return (
        "create schema intermediate",
        "create table intermediate.incremental_state as select 'ratings' as model",
        *statements,
    )


def test_an_incremental_mart_is_compared_whatever_its_row_order(tmp_path: Path) -> None:
    reordered = "create table marts.ratings as select * from (values ('b', 2, 1.5), ('a', 1, 0.5)) t(id, points, share)"
    head = _warehouse(tmp_path / "head.duckdb", *_incremental(reordered, BASE[1]))
    lines = compare(_warehouse(tmp_path / "base.duckdb", *BASE), head)
    assert lines == ["same      pdus: 1 rows", "same      ratings: 2 rows"]


@pytest.mark.parametrize(
    "ratings",
    [
        "select * from (values ('b', 2, 1.5), ('a', 1, 0.6)) t(id, points, share)",
        "select * from (values ('b', 2, 1.5), ('a', 1, 0.5), ('a', 1, 0.5)) t(id, points, share)",
        "select * from (values ('b', 2, 1.5), ('a', 1, null)) t(id, points, share)",
    ],
)
def test_an_incremental_mart_with_other_rows_is_reported(tmp_path: Path, ratings: str) -> None:
    head = _warehouse(tmp_path / "head.duckdb", *_incremental(f"create table marts.ratings as {ratings}", BASE[1]))
    lines = compare(_warehouse(tmp_path / "base.duckdb", *BASE), head)
    assert lines[1].startswith("DIFFERENT ratings:"), lines[1]


def test_a_full_table_mart_keeps_its_order_compared(tmp_path: Path) -> None:
    # pdus is not in the state: its stored order still counts.
    base = _warehouse(
        tmp_path / "base.duckdb", BASE[0], "create table marts.pdus as select * from (values ('A'), ('B')) t(pdu_name)"
    )
    head = _warehouse(
        tmp_path / "head.duckdb",
        *_incremental(BASE[0], "create table marts.pdus as select * from (values ('B'), ('A')) t(pdu_name)"),
    )
    assert compare(base, head)[0].startswith("DIFFERENT pdus: row 1")
