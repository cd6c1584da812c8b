"""`inspections serving ...`: list, publish, roll back the BI serving copy, rebuild the dashboard."""

from __future__ import annotations

import argparse
import sys

from config import settings
from serving.check_counts import CheckCounts
from serving.dashboard import DASHBOARD_NAME, build_dashboard
from serving.postgres import MARTS, VERSIONS_TO_KEEP, publish_to_postgres
from serving.publish import (
    DB_NAME,
    MART_TABLES,
    PublishedVersion,
    PublishError,
    current_version,
    list_versions,
    publish,
    rollback,
)
from serving.release.cli import add_release_arguments, diff_command, release_command
from serving.status import back_to_latest, serving_status


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="serving_command", required=True)
    sub.add_parser("list", help="versions of the serving copy, newest last; * marks the current one")
    sub.add_parser("status", help="the version BI tools read, the newest one built, and whether a rollback pins it")
    sub.add_parser("latest", help="point the serving copy back at the newest version built (undo a rollback)")
    back = sub.add_parser("rollback", help="point the serving copy at an earlier version")
    back.add_argument("--to", dest="version", default=None, help="version id (default: the one before the current)")
    pub = sub.add_parser("publish", help="publish the working warehouse's marts WITHOUT running checks (manual use)")
    pub.add_argument("--keep", type=int, default=5, help="versions to keep (default 5)")
    sub.add_parser("dashboard", help="rebuild the HTML dashboard from the serving copy")
    sub.add_parser("postgres", help="make PostgreSQL (PROBATION_SERVING_POSTGRES_URL) show the current version")
    add_release_arguments(sub.add_parser)


def run(args: argparse.Namespace) -> int:
    commands = {
        "list": _list,
        "rollback": _rollback,
        "publish": _publish,
        "dashboard": _dashboard,
        "status": _status,
        "latest": _latest,
        "postgres": _postgres,
        "diff": diff_command,
        "release": release_command,
    }
    try:
        return commands[args.serving_command](args)
    except PublishError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def _list(_: argparse.Namespace) -> int:
    serving = settings.serving_dir()
    versions = list_versions(serving)
    if not versions:
        print(f"no published versions in {serving}")
        return 0
    current = current_version(serving)
    for version in versions:
        marker = "*" if current and version.id == current.id else " "
        print(f"{marker} {_describe(version)}")
    if (status := serving_status(serving)).pinned:
        print(status.pinned_message())
    return 0


def _rollback(args: argparse.Namespace) -> int:
    version = rollback(settings.serving_dir(), args.version)
    print(f"serving copy now at version {version.id}")
    _rebuild_dashboard_if_present()
    _follow_in_postgres(version)
    return 0


def _status(_: argparse.Namespace) -> int:
    status = serving_status(settings.serving_dir())
    if status.current is None:
        print(f"no published versions in {settings.serving_dir()}")
        return 0
    print(f"current: {_describe(status.current)}")
    print(f"latest:  {_describe(status.latest)}")
    print(status.pinned_message() if status.pinned else "pinned: no (the serving copy follows each refresh)")
    print(status.data_docs_line())
    return 0


def _latest(_: argparse.Namespace) -> int:
    version = back_to_latest(settings.serving_dir())
    print(f"serving copy now at the newest version {version.id}")
    _rebuild_dashboard_if_present()
    return 0


def _publish(args: argparse.Namespace) -> int:
    print("warning: publishing without running the data-quality checks; prefer `make run`", file=sys.stderr)
    checks = [{"name": "manual publish: no checks run", "severity": "WARN", "passed": False}]
    version = publish(settings.warehouse_path(), settings.serving_dir(), MART_TABLES, checks, keep=args.keep)
    print(f"published version {version.id}")
    _rebuild_dashboard_if_present()
    _follow_in_postgres(version)
    return 0


def _dashboard(_: argparse.Namespace) -> int:
    serving = settings.serving_dir()
    if current_version(serving) is None:
        print(f"error: nothing published in {serving} yet", file=sys.stderr)
        return 1
    out = build_dashboard(serving / DB_NAME, serving / DASHBOARD_NAME)
    print(f"dashboard written to {out}")
    return 0


def _rebuild_dashboard_if_present() -> None:
    # A dashboard left from the previous version would now describe other data than the serving copy.
    serving = settings.serving_dir()
    if (serving / DASHBOARD_NAME).exists():
        build_dashboard(serving / DB_NAME, serving / DASHBOARD_NAME)
        print(f"dashboard rebuilt: {serving / DASHBOARD_NAME}")


def _postgres(_: argparse.Namespace) -> int:
    # Catching up after the database was down: a refresh with nothing new does not publish again.
    version = current_version(settings.serving_dir())
    if not settings.serving_postgres_url():
        print("error: PROBATION_SERVING_POSTGRES_URL is not set", file=sys.stderr)
        return 1
    if version is None:
        print(f"error: nothing published in {settings.serving_dir()} yet", file=sys.stderr)
        return 1
    _follow_in_postgres(version)
    return 0


def _follow_in_postgres(version: PublishedVersion) -> None:
    # PostgreSQL shows the same version as the DuckDB serving copy (loaded again if it was pruned there).
    url = settings.serving_postgres_url()
    if url:
        try:
            done = publish_to_postgres(url, version, keep=VERSIONS_TO_KEEP)
        except PublishError as exc:
            raise PublishError(
                f"the DuckDB serving copy is at {version.id}, PostgreSQL was not switched: {exc}"
            ) from exc
        print(f"postgres: {MARTS} now at version {done.version_id} in {done.location}")


def _describe(version: PublishedVersion) -> str:
    rows = ", ".join(f"{table} {count}" for table, count in version.row_counts.items())
    return f"{version.id}  created {version.created}  rows: {rows}  checks: {CheckCounts.of(version.checks).text()}"
