"""Paths and switches, read from the environment (see README "Configuration"). No Dagster import."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"


@contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables for the length of a block, then put back what was there (or nothing)."""
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _path(env: str, default: Path) -> Path:
    value = os.environ.get(env)
    return Path(value).expanduser().resolve() if value else default


def warehouse_path() -> Path:
    """The working warehouse (read-write, the pipeline's own)."""
    return _path("PROBATION_WAREHOUSE", PROJECT_ROOT / "warehouse" / "probation.duckdb")


def serving_dir() -> Path:
    """Where the BI serving copy lives: beside the working warehouse."""
    return warehouse_path().parent


def reports_dir() -> Path:
    """The landing folder of report files."""
    return _path("PROBATION_REPORTS_DIR", PROJECT_ROOT / "data" / "reports")


def fetch_enabled_by_default() -> bool:
    """Fetching is off unless PROBATION_FETCH=1: machines without internet must still run the sample."""
    return os.environ.get("PROBATION_FETCH", "0").lower() in {"1", "true", "yes", "on"}


def serving_postgres_url() -> str | None:
    """PostgreSQL database that every publish also loads the marts into; None (the default) means none."""
    return os.environ.get("PROBATION_SERVING_POSTGRES_URL") or None


def automation_on() -> bool:
    """PROBATION_AUTOMATION=on: the schedule and the landing-folder sensor start running (`make deploy` sets it).

    Off by default, so `make dev` and tests never refresh on their own. Only their first state: once someone turns
    them on or off (UI, CLI), Dagster keeps that choice in the instance.
    """
    return os.environ.get("PROBATION_AUTOMATION", "off").lower() in {"1", "true", "yes", "on"}


def refresh_cron() -> str:
    """PROBATION_REFRESH_CRON: when the scheduled refresh runs (Europe/London time); default Mondays 06:00."""
    return os.environ.get("PROBATION_REFRESH_CRON") or "0 6 * * 1"


PARSE_WORKERS_ENV = "PROBATION_PARSE_WORKERS"


def available_cpus() -> int:
    """CPUs this process may run on (a container or `taskset` may allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def parse_workers() -> int:
    """Processes that parse new report files: PROBATION_PARSE_WORKERS, default one per available CPU.

    1 parses in the run's own process, as before parallel parsing existed.
    """
    raw = os.environ.get(PARSE_WORKERS_ENV, "").strip()
    if not raw:
        return available_cpus()
    try:
        workers = int(raw)
    except ValueError:
        raise ValueError(f"{PARSE_WORKERS_ENV}={raw!r} is not a whole number of worker processes") from None
    if workers < 1:
        raise ValueError(f"{PARSE_WORKERS_ENV}={raw!r} must be at least 1 (1 parses in the run's own process)")
    return workers
