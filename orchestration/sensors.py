"""Sensors: a refresh when the website's listing shows a report no fetch has seen (created stopped)."""

import hashlib
from dataclasses import replace

from dagster import DefaultSensorStatus, RunRequest, SensorEvaluationContext, SkipReason, sensor

from config.settings import reports_dir
from ingestion.fetch import ClientConfig, FetchError
from ingestion.fetch.fetcher import unseen_on_first_page
from orchestration.assets.fetch import fetch_run_config, listing_url_default
from orchestration.jobs import refresh_all


@sensor(
    job=refresh_all,
    minimum_interval_seconds=3600,
    default_status=DefaultSensorStatus.STOPPED,
    description="Reads only the listing's first page; asks for a refresh when it shows a report no fetch has seen.",
)
def new_reports_sensor(context: SensorEvaluationContext):
    listing_url = listing_url_default()
    # One request, no retries: the next tick is an hour away anyway.
    config = replace(ClientConfig(), retries=0, timeout_seconds=20)
    try:
        new_urls = unseen_on_first_page(listing_url, reports_dir(), config)
    except FetchError as exc:
        return SkipReason(f"listing not readable: {exc.reason}")
    if not new_urls:
        return SkipReason("no new reports on the listing's first page")
    context.log.info("new on the listing: %s", ", ".join(new_urls))
    run_key = hashlib.sha256("\n".join(new_urls).encode()).hexdigest()[:16]
    return RunRequest(run_key=f"new-reports-{run_key}", run_config=fetch_run_config(listing_url))
