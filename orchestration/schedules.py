"""Schedules: a weekly refresh with fetching on (created stopped)."""

from dagster import DefaultScheduleStatus, ScheduleDefinition

from orchestration.assets.fetch import fetch_run_config
from orchestration.jobs import refresh_all

weekly_refresh_schedule = ScheduleDefinition(
    name="weekly_refresh_schedule",
    job=refresh_all,
    cron_schedule="0 6 * * 1",  # Mondays 06:00 UK time: after the inspectorate's usual weekday publications
    execution_timezone="Europe/London",
    run_config=fetch_run_config(),
    default_status=DefaultScheduleStatus.STOPPED,
    description="Weekly refresh with fetching enabled (turn it on in the UI or with `dagster schedule start`).",
)
