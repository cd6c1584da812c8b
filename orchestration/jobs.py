"""The code location's jobs: a refresh of everything, and the same refresh forced to rebuild.

Both carry a tag naming the warehouse they write: the deployment's run queue (deploy/dagster.yaml) lets one
run per tag value start at a time, so launched refreshes of one warehouse wait for each other.
"""

from dagster import AssetSelection, define_asset_job

from config.settings import warehouse_path

REFRESH_JOB_NAME = "refresh_all"
REBUILD_JOB_NAME = "rebuild_all"
WAREHOUSE_TAG = "probation/warehouse"


def warehouse_tags() -> dict[str, str]:
    """Read when the definitions load: the code server's PROBATION_WAREHOUSE, resolved to one spelling."""
    return {WAREHOUSE_TAG: str(warehouse_path())}


# The console (`make run`, `make dev`) shows INFO and above; the UI's run log still holds every DEBUG event.
CONSOLE_AT_INFO = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}

refresh_all = define_asset_job(
    REFRESH_JOB_NAME,
    selection=AssetSelection.all(),
    config=CONSOLE_AT_INFO,
    tags=warehouse_tags(),
    description="Fetch (when enabled), parse the landing folder, build and check the marts, publish the serving copy.",
)

# One click in the UI (or `inspections run --force`) to rebuild from scratch and publish a new version anyway.
REBUILD_CONFIG = {
    **CONSOLE_AT_INFO,
    "ops": {"dbt_models": {"config": {"full_refresh": True}}, "serving_copy": {"config": {"force": True}}},
}
rebuild_all = define_asset_job(
    REBUILD_JOB_NAME,
    selection=AssetSelection.all(),
    config=REBUILD_CONFIG,
    tags=warehouse_tags(),
    description=(
        "refresh_all forced: rebuild every mart from scratch (dbt --full-refresh), re-check and publish a new "
        "serving version even when nothing changed."
    ),
)
