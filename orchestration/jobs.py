"""The code location's jobs: a refresh of everything, and the same refresh forced to rebuild."""

from dagster import AssetSelection, define_asset_job

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
    config={"ops": {"raw_tables": {"config": {"force": True}}, "dbt_models": {"config": {"full_refresh": True}}}},
    description=(
        "refresh_all with force=true: rebuild every mart from scratch (dbt --full-refresh), re-check and publish "
        "even when nothing changed."
    ),
)
