"""Downloading PDU inspection reports from the HMI Probation website into the landing folder (no Dagster here)."""

from .client import ClientConfig, FetchError, PoliteClient
from .fetcher import FetchOptions, FetchSummary, ReportResult, fetch_reports
from .listing import DEFAULT_LISTING_URL

__all__ = [
    "DEFAULT_LISTING_URL",
    "ClientConfig",
    "FetchError",
    "FetchOptions",
    "FetchSummary",
    "PoliteClient",
    "ReportResult",
    "fetch_reports",
]
