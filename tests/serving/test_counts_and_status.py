"""One definition of check counts, the run summary's counts, and `inspections serving status / latest`."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from cli.run import RunSummary, warehouse_counts
from serving.check_counts import CheckCounts
from serving.publish import MART_TABLES, current_version, publish, rollback
from serving.status import serving_status
from tests.serving.marts_data import add_inspection, mart_counts
from tests.serving.test_cli_and_clients import cli

CHECKS = [
    {"name": "marts/inspections:unique", "severity": "ERROR", "passed": True},
    {"name": "marts/scores:pct", "severity": "ERROR", "passed": True},
    {"name": "marts/ratings:band_rating_matches", "severity": "WARN", "passed": False},
    {"name": "marts/pdus:pdu_in_reference", "severity": "WARN", "passed": True},
]


def test_counts_keep_blocking_and_warnings_apart() -> None:
    counts = CheckCounts.of(CHECKS)
    assert counts.text() == "blocking 2/2 passed, warnings 1/2 passed (1 failed warning)"
    assert counts.failure_lines() == ["  warning (does not block the publish): marts/ratings:band_rating_matches"]
    failed = CheckCounts.of([*CHECKS, {"name": "marts/scores:sum", "severity": "ERROR", "passed": False}])
    assert failed.text() == "blocking 2/3 passed, warnings 1/2 passed (1 BLOCKING failed, 1 failed warning)"
    assert failed.total == 5


def test_blocking_is_what_stops_the_publish_not_the_reported_severity() -> None:
    passing_warn_dbt_test = {
        "name": "marts/pdus:pdu_in_reference",
        "severity": "ERROR",
        "blocking": False,
        "passed": True,
    }  # dagster-dbt reports a passing warn-level test with ERROR
    failed_warn_dbt_test = {**passing_warn_dbt_test, "severity": "WARN", "passed": False}
    failed_error_check = {"name": "marts/scores:pct", "severity": "ERROR", "blocking": False, "passed": False}
    assert CheckCounts.of([passing_warn_dbt_test]).text() == "blocking 0/0 passed, warnings 1/1 passed"
    assert CheckCounts.of([failed_warn_dbt_test]).warnings_failed == ["marts/pdus:pdu_in_reference"]
    assert CheckCounts.of([failed_error_check]).blocking_failed == ["marts/scores:pct"]  # the publish refuses it


def test_serving_list_and_the_run_summary_say_the_same(warehouse: Path, serving: Path) -> None:
    version = publish(warehouse, serving, MART_TABLES, CHECKS)
    listed = cli(warehouse, "list").stdout
    assert "checks: blocking 2/2 passed, warnings 1/2 passed (1 failed warning)" in listed
    summary = RunSummary(success=True, published=version, serving=serving_status(serving))
    assert "  checks on its marts: blocking 2/2 passed, warnings 1/2 passed (1 failed warning)" in summary.lines()
    assert f"  data release: {version.path}/package/datapackage.json (`inspections serving release --out DIR`)" in (
        summary.lines()
    )


def test_status_pinned_and_back_to_latest(warehouse: Path, serving: Path) -> None:
    first = publish(warehouse, serving, MART_TABLES, CHECKS)
    add_inspection(warehouse)
    second = publish(warehouse, serving, MART_TABLES, CHECKS)
    status = cli(warehouse, "status")
    assert status.returncode == 0 and "pinned: no" in status.stdout and f"current: {second.id}" in status.stdout

    rollback(serving, first.id)
    status = cli(warehouse, "status")
    assert f"current: {first.id}" in status.stdout and f"latest:  {second.id}" in status.stdout
    assert "PINNED to version " + first.id in status.stdout and "inspections serving latest" in status.stdout
    assert "PINNED" in cli(warehouse, "list").stdout
    # `make run` says it too, also when nothing changed
    summary = RunSummary(success=True, unchanged=second, serving=serving_status(serving))
    assert any(line.startswith(f"serving copy is PINNED to version {first.id}") for line in summary.lines())

    back = cli(warehouse, "latest")
    assert back.returncode == 0, back.stderr
    assert current_version(serving).id == second.id and mart_counts(serving / "marts.duckdb")["inspections"] == 4
    assert not serving_status(serving).pinned


def test_latest_without_anything_published(warehouse: Path) -> None:
    result = cli(warehouse, "latest")
    assert result.returncode == 1 and "nothing published" in result.stderr
    assert "no published versions" in cli(warehouse, "status").stdout


@pytest.mark.slow
def test_summary_counts_come_from_the_check_and_mart_tables(tmp_path: Path) -> None:
    from tests.dbt.warehouse_fixtures import shared_build

    warehouse = shared_build().copy(tmp_path)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        in_mart = con.execute("SELECT count(*) FROM marts.quarantined_files").fetchone()[0]
    rows, quarantined = warehouse_counts(warehouse)
    assert quarantined == in_mart >= 1  # the crafted sample has a quarantined file
    # A mart that is missing (not built yet) shows as unknown; it does not zero the quarantine count.
    with duckdb.connect(str(warehouse)) as con:
        con.execute("DROP TABLE marts.pdus")
    rows, quarantined = warehouse_counts(warehouse)
    assert rows["pdus"] is None and rows["inspections"] is not None and quarantined == in_mart
    summary = RunSummary(success=False, mart_rows=rows, quarantined=quarantined)
    assert "pdus ?" in summary.lines()[1] and f"quarantined files: {in_mart}" in summary.lines()
