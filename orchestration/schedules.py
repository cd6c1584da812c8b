"""Schedules: a weekly refresh with fetching on (stopped unless PROBATION_AUTOMATION=on, as `make deploy` sets)."""

from dagster import DefaultScheduleStatus, ScheduleDefinition

from config.settings import automation_on, refresh_cron
from orchestration.assets.fetch import fetch_run_config
from orchestration.jobs import refresh_all

weekly_refresh_schedule = ScheduleDefinition(
    name="weekly_refresh_schedule",
    job=refresh_all,
    # Default Mondays 06:00 UK time, after the inspectorate's usual weekday publications; PROBATION_REFRESH_CRON
    # moves it.
    cron_schedule=refresh_cron(),
    execution_timezone="Europe/London",
    run_config=fetch_run_config(),
    default_status=DefaultScheduleStatus.RUNNING if automation_on() else DefaultScheduleStatus.STOPPED,
    description="Weekly refresh with fetching enabled (turn it on in the UI or with `dagster schedule start`).",
)
