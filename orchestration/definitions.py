"""The Dagster code location: fetch -> raw tables -> dbt staging and marts -> checks -> serving copy.

Loaded by `make dev` (workspace.yaml), `make run` (orchestration.run) and the tests.
"""

from __future__ import annotations

import os

from dagster import AssetSelection, Definitions, define_asset_job

from orchestration.dbt_assets import dbt_models, dbt_resource
from orchestration.fetch_assets import landing_reports, new_reports_sensor, weekly_refresh_schedule
from orchestration.ingest_assets import raw_tables
from orchestration.locked_executor import one_refresh_at_a_time_executor
from orchestration.quality_checks import gx_asset_checks
from orchestration.serving_assets import serving_assets
from orchestration.settings import warehouse_path

# dbt runs as a subprocess and reads the warehouse path from the environment.
os.environ.setdefault("PROBATION_WAREHOUSE", str(warehouse_path()))
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")

REFRESH_JOB_NAME = "refresh_all"

refresh_all = define_asset_job(
    REFRESH_JOB_NAME,
    selection=AssetSelection.all(),
    description="Fetch (when enabled), parse the landing folder, build and check the marts, publish the serving copy.",
)

defs = Definitions(
    assets=[landing_reports, raw_tables, dbt_models, *serving_assets],
    asset_checks=gx_asset_checks,
    jobs=[refresh_all],
    schedules=[weekly_refresh_schedule],
    sensors=[new_reports_sensor],
    resources={"dbt": dbt_resource()},
    # Steps run one after another in one process: DuckDB allows a single writer per file. Launched runs
    # (UI, schedule, sensor) hold the warehouse's refresh lock, as `make run` does.
    executor=one_refresh_at_a_time_executor,
)
