"""Paths and switches, read from the environment (see README "Configuration"). No Dagster import."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"


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
