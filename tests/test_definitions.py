"""The code location's objects by kind: definitions merge them, schedules and sensors start job objects, and every
asset or check that opens the warehouse gets it as the `warehouse` resource instead of opening it itself."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from dagster import AssetKey

from orchestration.definitions import defs
from orchestration.jobs import refresh_all
from orchestration.resources import DuckDBWarehouse
from orchestration.schedules import weekly_refresh_schedule
from orchestration.sensors import new_reports_sensor

ROOT = Path(__file__).resolve().parent.parent


def test_definitions_load_with_both_resources() -> None:
    repository = defs.get_repository_def()
    assert set(repository.get_top_level_resources()) == {"dbt", "warehouse"}
    assert {job.name for job in repository.get_all_jobs()} >= {"refresh_all", "rebuild_all"}


def test_schedule_and_sensor_start_the_refresh_job_object() -> None:
    assert weekly_refresh_schedule.job is refresh_all
    assert new_reports_sensor.job is refresh_all


def test_assets_and_checks_that_read_the_warehouse_take_the_resource() -> None:
    graph = defs.get_repository_def().asset_graph
    needing = {
        AssetKey(["raw", "reports"]),
        AssetKey(["marts", "inspections"]),  # the dbt multi-asset (table metadata after the build)
        AssetKey(["serving", "marts"]),
    }
    for key in needing:
        assert "warehouse" in graph.get(key).assets_def.required_resource_keys, key
    assert defs.asset_checks
    for check in defs.asset_checks:  # the GX suites
        assert "warehouse" in check.required_resource_keys, check


def test_only_the_resource_opens_the_warehouse() -> None:
    opened = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "orchestration").rglob("*.py")
        if "duckdb.connect(" in path.read_text() and path.name != "resources.py"
    ]
    assert not opened


def test_resource_connects_read_only_by_default(tmp_path: Path) -> None:
    warehouse = DuckDBWarehouse(database=str(tmp_path / "w.duckdb"))
    with warehouse.connect(read_only=False) as con:
        con.execute("create table t as select 1 as x")
    with warehouse.connect() as con:
        assert warehouse.table_metadata(con, "main", "t")["dagster/row_count"].value == 1
        with pytest.raises(duckdb.InvalidInputException, match="read-only"):
            con.execute("insert into t values (2)")


def test_loading_the_definitions_leaves_out_what_a_no_op_refresh_never_needs() -> None:
    # A refresh that finds nothing changed stops after the raw tables: GX, pandas and dbt's runner are loaded
    # by the steps that use them, never by the code location (bench/startup_imports.py measures the rest).
    from bench.startup_imports import DEFERRED, loaded_modules

    loaded = loaded_modules()
    assert "orchestration.definitions" in loaded
    assert [name for name in DEFERRED if name in loaded] == []
