"""The code location's jobs: a refresh of everything, and the same refresh forced to rebuild."""

from dagster import AssetSelection, define_asset_job

REFRESH_JOB_NAME = "refresh_all"
REBUILD_JOB_NAME = "rebuild_all"

# The console (`make run`, `make dev`) shows INFO and above; the UI's run log still holds every DEBUG event.
CONSOLE_AT_INFO = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}

refresh_all = define_asset_job(
    REFRESH_JOB_NAME,
    selection=AssetSelection.all(),
    config=CONSOLE_AT_INFO,
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
    description=(
        "refresh_all forced: rebuild every mart from scratch (dbt --full-refresh), re-check and publish a new "
        "serving version even when nothing changed."
    ),
)
