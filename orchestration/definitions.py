"""The Dagster code location: fetch -> raw tables -> dbt staging and marts -> checks -> serving copy.

Merges the objects defined by kind: assets/ (one module per stage), jobs.py, schedules.py, sensors.py and
resources.py. Loaded by `make dev` (workspace.yaml), `make run` (cli/run.py) and the tests.
"""

from __future__ import annotations

import os

from dagster import Definitions, in_process_executor

from orchestration.assets.checks import gx_asset_checks
from orchestration.assets.dbt import dbt_models
from orchestration.assets.fetch import landing_reports
from orchestration.assets.raw import raw_tables
from orchestration.assets.serving import serving_assets
from orchestration.jobs import REBUILD_JOB_NAME, REFRESH_JOB_NAME, rebuild_all, refresh_all
from orchestration.resources import RESOURCES
from orchestration.schedules import weekly_refresh_schedule
from orchestration.sensors import landing_folder_sensor, new_reports_sensor

__all__ = ["REBUILD_JOB_NAME", "REFRESH_JOB_NAME", "defs"]

# dbt runs as a subprocess and reads its settings from the environment (PROBATION_WAREHOUSE: resources.py).
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
# A UI selection of some dbt assets runs their tests only when every model a test reads is selected or
# upstream ("buildable"): dbt's default ("eager") also runs tests of unselected marts that merely read a
# selected one, which Dagster did not plan and logs as warnings. A whole-project build runs every test either way.
os.environ.setdefault("DBT_INDIRECT_SELECTION", "buildable")

defs = Definitions(
    assets=[landing_reports, raw_tables, dbt_models, *serving_assets],
    asset_checks=gx_asset_checks,
    jobs=[refresh_all, rebuild_all],
    schedules=[weekly_refresh_schedule],
    sensors=[new_reports_sensor, landing_folder_sensor],
    resources=RESOURCES,
    # Steps run one after another in one process: DuckDB allows a single writer per file. Each run holds the
    # warehouse's refresh lock through its warehouse resource, as `inspections run` does.
    executor=in_process_executor,
)
