"""The Dagster code location: fetch -> raw tables -> dbt staging and marts -> checks -> serving copy.

Loaded by `make dev` (workspace.yaml), `make run` (cli.run) and the tests.
"""

from __future__ import annotations

import os

from dagster import AssetSelection, Definitions, define_asset_job

from config.settings import warehouse_path
from orchestration import quiet_logs
from orchestration.assets.checks import gx_asset_checks
from orchestration.assets.dbt import dbt_models, dbt_resource
from orchestration.assets.fetch import landing_reports, new_reports_sensor, weekly_refresh_schedule
from orchestration.assets.raw import raw_tables
from orchestration.assets.serving import serving_assets
from orchestration.locked_executor import one_refresh_at_a_time_executor

# dbt runs as a subprocess and reads the warehouse path from the environment.
os.environ.setdefault("PROBATION_WAREHOUSE", str(warehouse_path()))
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
# A UI selection of some dbt assets runs their tests only when every model a test reads is selected or
# upstream ("buildable"): dbt's default ("eager") also runs tests of unselected marts that merely read a
# selected one, which Dagster did not plan and logs as warnings. A whole-project build runs every test either way.
os.environ.setdefault("DBT_INDIRECT_SELECTION", "buildable")

quiet_logs.install()

REFRESH_JOB_NAME = "refresh_all"
REBUILD_JOB_NAME = "rebuild_all"

refresh_all = define_asset_job(
    REFRESH_JOB_NAME,
    selection=AssetSelection.all(),
    description="Fetch (when enabled), parse the landing folder, build and check the marts, publish the serving copy.",
)

# One click in the UI to rebuild when nothing changed (a refresh then stops after the raw tables).
rebuild_all = define_asset_job(
    REBUILD_JOB_NAME,
    selection=AssetSelection.all(),
    config={"ops": {"raw_tables": {"config": {"force": True}}}},
    description="refresh_all with force=true: rebuild, re-check and publish even when nothing changed.",
)

defs = Definitions(
    assets=[landing_reports, raw_tables, dbt_models, *serving_assets],
    asset_checks=gx_asset_checks,
    jobs=[refresh_all, rebuild_all],
    schedules=[weekly_refresh_schedule],
    sensors=[new_reports_sensor],
    resources={"dbt": dbt_resource()},
    # Steps run one after another in one process: DuckDB allows a single writer per file. Launched runs
    # (UI, schedule, sensor) hold the warehouse's refresh lock, as `make run` does.
    executor=one_refresh_at_a_time_executor,
)
