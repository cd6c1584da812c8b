"""Write-audit-publish: versions, atomic switch, pruning, rollback, failure leaves the serving copy alone."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from serving.publish import (
    MART_TABLES,
    PublishError,
    current_version,
    list_versions,
    publish,
    rollback,
)
from tests.serving.marts_data import add_inspection, mart_counts

CHECKS = [{"name": "marts_inspections_unique_id", "severity": "ERROR", "passed": True}]


def parquet_counts(serving: Path) -> dict[str, int]:
    return {t: pq.read_metadata(serving / "parquet" / f"{t}.parquet").num_rows for t in MART_TABLES}


def test_publish_writes_duckdb_and_parquet_with_identical_counts(warehouse: Path, serving: Path) -> None:
    version = publish(warehouse, serving, MART_TABLES, CHECKS)

    expected = mart_counts(warehouse)
    assert version.row_counts == expected
    assert mart_counts(serving / "marts.duckdb") == expected
    assert parquet_counts(serving) == expected
    assert current_version(serving) == version
    manifest = version.path / "version.json"
    assert manifest.is_file() and version.checks == CHECKS
    # Contract paths go through the one `current` switch.
    assert os.readlink(serving / "current") == f"versions/{version.id}"
    assert (serving / "marts.duckdb").resolve() == version.path / "marts.duckdb"
    assert not list((serving / "versions").glob(".staging-*"))


def test_serving_copy_keeps_column_types(warehouse: Path, serving: Path) -> None:
    publish(warehouse, serving, MART_TABLES, CHECKS)
    con = duckdb.connect(str(serving / "marts.duckdb"), read_only=True)
    types = dict(
        con.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'main' AND table_name = 'inspections'"
        ).fetchall()
    )
    con.close()
    assert types["published_month"] == "DATE" and types["score"] == "INTEGER"


def test_second_publish_is_a_new_version_and_old_ones_are_pruned(warehouse: Path, serving: Path) -> None:
    first = publish(warehouse, serving, MART_TABLES, CHECKS, keep=2)
    add_inspection(warehouse)
    second = publish(warehouse, serving, MART_TABLES, CHECKS, keep=2)
    assert second.id > first.id
    assert current_version(serving).id == second.id
    assert mart_counts(serving / "marts.duckdb")["inspections"] == 4
    assert parquet_counts(serving)["inspections"] == 4

    third = publish(warehouse, serving, MART_TABLES, CHECKS, keep=2)
    assert [v.id for v in list_versions(serving)] == [second.id, third.id]
    assert not first.path.exists()


def test_keep_one_leaves_only_the_current_version(warehouse: Path, serving: Path) -> None:
    for _ in range(3):
        latest = publish(warehouse, serving, MART_TABLES, CHECKS, keep=1)
    assert [v.id for v in list_versions(serving)] == [latest.id] == [current_version(serving).id]
    assert mart_counts(serving / "marts.duckdb")["inspections"] == 3


def test_rollback_restores_previous_data(warehouse: Path, serving: Path) -> None:
    first = publish(warehouse, serving, MART_TABLES, CHECKS)
    add_inspection(warehouse)
    second = publish(warehouse, serving, MART_TABLES, CHECKS)
    assert mart_counts(serving / "marts.duckdb")["inspections"] == 4

    restored = rollback(serving)
    assert restored.id == first.id == current_version(serving).id
    assert mart_counts(serving / "marts.duckdb")["inspections"] == 3
    assert parquet_counts(serving)["pdus"] == 3

    rollback(serving, second.id)
    assert mart_counts(serving / "marts.duckdb")["inspections"] == 4
    with pytest.raises(PublishError, match="unknown version"):
        rollback(serving, "19990101T000000.000000Z")


def test_rollback_without_previous_version_fails(warehouse: Path, serving: Path) -> None:
    with pytest.raises(PublishError):
        rollback(serving)
    publish(warehouse, serving, MART_TABLES, CHECKS)
    with pytest.raises(PublishError, match="no previous version"):
        rollback(serving)


def test_failed_publish_leaves_serving_copy_untouched(warehouse: Path, serving: Path) -> None:
    good = publish(warehouse, serving, MART_TABLES, CHECKS)
    add_inspection(warehouse)

    with pytest.raises(PublishError):
        publish(warehouse, serving, [*MART_TABLES, "no_such_table"], CHECKS)

    assert current_version(serving) == good
    assert [v.id for v in list_versions(serving)] == [good.id]
    assert mart_counts(serving / "marts.duckdb")["inspections"] == 3
    assert parquet_counts(serving)["inspections"] == 3
    assert not list((serving / "versions").glob(".staging-*"))


def test_failed_blocking_check_refuses_publish(warehouse: Path, serving: Path) -> None:
    checks = [*CHECKS, {"name": "ratings_match_score", "severity": "ERROR", "passed": False}]
    with pytest.raises(PublishError, match="ratings_match_score"):
        publish(warehouse, serving, MART_TABLES, checks)
    assert current_version(serving) is None and not (serving / "marts.duckdb").exists()
    # A failed warning is recorded, not blocking.
    warn = [{"name": "fieldwork_dates_agree", "severity": "WARN", "passed": False}]
    assert publish(warehouse, serving, MART_TABLES, warn).checks == warn


def test_publish_does_not_need_the_working_warehouse_write_lock(warehouse: Path, serving: Path) -> None:
    # Another process (e.g. `duckdb -readonly`) reading the working warehouse must not block the publish.
    reader = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys; c = duckdb.connect(sys.argv[1], read_only=True); "
            "print('open', flush=True); sys.stdin.read()",
            str(warehouse),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout.readline().strip() == "open"
        assert publish(warehouse, serving, MART_TABLES, CHECKS).row_counts["inspections"] == 3
    finally:
        reader.stdin.close()
        reader.wait(timeout=30)


def test_invalid_arguments(warehouse: Path, serving: Path) -> None:
    with pytest.raises(ValueError):
        publish(warehouse, serving, ["inspections; DROP TABLE x"], CHECKS)
    with pytest.raises(ValueError):
        publish(warehouse, serving, MART_TABLES, CHECKS, keep=0)
    with pytest.raises(PublishError, match="not found"):
        publish(warehouse.with_name("missing.duckdb"), serving, MART_TABLES, CHECKS)
