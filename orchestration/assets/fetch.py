"""Dagster wiring of the report fetcher: the `landing_reports` asset and the run config that turns fetching on.

Thin on purpose: all fetching logic lives in ingestion.fetch. The weekly schedule (schedules.py) and the
new-reports sensor (sensors.py) start the `refresh_all` job (jobs.py) with `fetch_run_config`.
"""

# No `from __future__ import annotations`: Dagster reads the Config annotation of the asset function at runtime.
import os
from pathlib import Path

from dagster import (
    AssetExecutionContext,
    AssetKey,
    Config,
    MaterializeResult,
    MetadataValue,
    asset,
)

from config.settings import fetch_enabled_by_default, reports_dir
from ingestion.fetch import DEFAULT_LISTING_URL, ClientConfig, FetchOptions, FetchSummary, fetch_reports
from orchestration.jobs import CONSOLE_AT_INFO

LANDING_REPORTS = AssetKey(["landing_reports"])


def listing_url_default() -> str:
    """PROBATION_LISTING_URL points the asset and sensor at a mirror; default: the real site's PDU listing."""
    return os.environ.get("PROBATION_LISTING_URL") or DEFAULT_LISTING_URL


class LandingReportsConfig(Config):
    # Defaults are read when the definitions load, so PROBATION_FETCH=1 `make run` turns fetching on.
    enabled: bool = fetch_enabled_by_default()
    listing_url: str = listing_url_default()
    delay_seconds: float = 1.0
    max_pages: int = 200


def landing_file_count(folder: Path) -> int:
    """Report files the pipeline will scan: dot-files and dot-folders (manifest, history, partials) excluded."""
    if not folder.is_dir():
        return 0
    return sum(
        1
        for path in folder.rglob("*")
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(folder).parts)
    )


def downloaded_table(summary: FetchSummary) -> str:
    """Markdown table of what changed on disk or failed (unchanged and skipped reports are only counted)."""
    rows = [r for r in summary.results if r.status in {"new", "changed", "failed"}]
    if not rows:
        return "Nothing downloaded."
    lines = ["| status | file | title | note |", "|---|---|---|---|"]
    for r in rows:
        cells = [r.status, r.file or "", r.title, r.reason]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


@asset(
    key=LANDING_REPORTS,
    group_name="ingestion",
    description="Report files in the landing folder; downloads new or changed PDU reports when fetching is enabled.",
)
def landing_reports(context: AssetExecutionContext, config: LandingReportsConfig) -> MaterializeResult:
    folder = reports_dir()
    if not config.enabled:
        context.log.info("fetching disabled (set PROBATION_FETCH=1 or enabled: true); using %s as it is", folder)
        return MaterializeResult(
            metadata={
                "fetch_enabled": False,
                "landing_dir": str(folder),
                "landing_files": landing_file_count(folder),
            }
        )
    options = FetchOptions(
        dest=folder,
        listing_url=config.listing_url,
        max_pages=config.max_pages,
        client=ClientConfig(delay_seconds=config.delay_seconds),
    )
    summary = fetch_reports(options, out=context.log.info)
    if not summary.complete:
        context.log.warning("some listed PDU reports are missing: %s", summary.line())
    return MaterializeResult(
        metadata={
            "fetch_enabled": True,
            "landing_dir": str(folder),
            "landing_files": landing_file_count(folder),
            **summary.counts,
            "complete": summary.complete,
            "listing_errors": len(summary.listing_errors),
            "downloaded": MetadataValue.md(downloaded_table(summary)),
        }
    )


def fetch_run_config(listing_url: str | None = None) -> dict:
    config: dict = {"enabled": True}
    if listing_url:
        config["listing_url"] = listing_url
    # A run config replaces the job's own: keep its console at INFO.
    return {**CONSOLE_AT_INFO, "ops": {"landing_reports": {"config": config}}}
