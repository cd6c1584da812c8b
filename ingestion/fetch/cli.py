"""`inspections fetch`: download new or changed PDU reports into the landing folder."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

# settings only reads the environment (no Dagster import), so ingestion/ stays Dagster-free.
from config.settings import reports_dir

from .client import DEFAULT_HOSTS, ClientConfig
from .fetcher import FetchOptions, fetch_reports
from .listing import DEFAULT_LISTING_URL


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--listing-url", default=DEFAULT_LISTING_URL, help="first page of the reports listing")
    parser.add_argument(
        "--dest", type=Path, default=None, help="landing folder (default: PROBATION_REPORTS_DIR or data/reports)"
    )
    parser.add_argument("--delay", type=float, default=1.0, help="seconds between requests (default 1)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per request (default 30)")
    parser.add_argument("--retries", type=int, default=3, help="retries on connection errors, 429 and 5xx")
    parser.add_argument("--max-pages", type=int, default=200, help="stop after this many listing pages")
    parser.add_argument("--max-mb", type=float, default=50.0, help="largest accepted file, in MB (default 50)")
    parser.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="HOST",
        help=f"also fetch from HOST (always allowed: {', '.join(DEFAULT_HOSTS)} and the listing's host)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log each request decision")


def run(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(message)s")
    options = FetchOptions(
        dest=args.dest or reports_dir(),
        listing_url=args.listing_url,
        max_pages=args.max_pages,
        client=ClientConfig(
            delay_seconds=args.delay,
            timeout_seconds=args.timeout,
            retries=args.retries,
            max_bytes=int(args.max_mb * 1024 * 1024),
            allowed_hosts=(*DEFAULT_HOSTS, *(h.lower() for h in args.allow_host)),
        ),
    )
    print(f"fetching PDU reports from {options.listing_url} into {options.dest}")
    summary = fetch_reports(options)
    return 0 if summary.complete else 1
