"""Sensors: a refresh when the website's listing shows a report no fetch has seen (stopped by default), and
a refresh when the landing folder changes (running when PROBATION_AUTOMATION=on, as `make deploy` sets)."""

import hashlib
import time
from dataclasses import replace
from pathlib import Path

from dagster import DefaultSensorStatus, RunRequest, SensorEvaluationContext, SkipReason, sensor

from config.settings import automation_on, reports_dir
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


# A file whose last change is this recent may still be being copied: the sensor waits for it to settle.
SETTLE_SECONDS = 2


def landing_state(folder: Path) -> list[tuple[str, int, int]]:
    """(relative path, size, mtime in ns) of the report files a refresh scans: dot-files and dot-folders
    (the fetcher's manifest, history, partial downloads) are not reports and do not count."""
    if not folder.is_dir():
        return []
    state = []
    for path in folder.rglob("*"):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts):
            continue
        try:
            stat = path.stat()
        except OSError:  # deleted between listing and stat: the next tick sees the folder as it is then
            continue
        if path.is_file():
            state.append((relative.as_posix(), stat.st_size, stat.st_mtime_ns))
    return sorted(state)


def fingerprint(state: list[tuple[str, int, int]]) -> str:
    return hashlib.sha256(repr(state).encode()).hexdigest()


@sensor(
    job=refresh_all,
    minimum_interval_seconds=5,  # a tick only lists the folder; reports must be served within 90 s
    default_status=DefaultSensorStatus.RUNNING if automation_on() else DefaultSensorStatus.STOPPED,
    description=(
        "Watches the landing folder (file names, sizes, modification times) and asks for a refresh when it changed "
        "since the last tick. Its first tick only notes what is there."
    ),
)
def landing_folder_sensor(context: SensorEvaluationContext):
    folder = reports_dir()
    state = landing_state(folder)
    settling = [name for name, _size, mtime_ns in state if time.time_ns() - mtime_ns < SETTLE_SECONDS * 10**9]
    if settling:
        return SkipReason(f"waiting for files still being written: {', '.join(settling[:5])}")
    current = fingerprint(state)
    # Cursor "<changes seen>:<fingerprint>": the count makes every change's run key new, so a folder put back
    # as it was before (A, B, A) still refreshes, while a re-evaluated tick asks for the same run (no duplicate).
    changes, _, last = (context.cursor or "").rpartition(":")
    if context.cursor is None:
        # Turning the sensor on is not a change: what was there already is the schedule's or a manual run's job.
        context.update_cursor(f"0:{current}")
        return SkipReason(f"watching {folder} ({len(state)} files); a change will start a refresh")
    if current == last:
        return SkipReason(f"no change in {folder}")
    count = int(changes or 0) + 1
    context.update_cursor(f"{count}:{current}")
    context.log.info("landing folder changed: %d files in %s", len(state), folder)
    return RunRequest(run_key=f"landing-{count}-{current[:16]}")
