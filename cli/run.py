"""`inspections run` (and `make run`): refresh everything once and print a short summary.

The landing folder is checked before anything else: a folder that is missing or unreadable ends the command
with one line and exit 2, and the warehouse is not touched. With the warehouse's refresh lock held, a refresh
that would find nothing new (same files, parser and dbt project as the newest published version) starts no
Dagster run at all: nothing is parsed or built, every check keeps its last result, and the summary says so.
Otherwise it runs the refresh_all job (rebuild_all with --force) in this process. Dagster and dbt are
imported only then, so the no-op stays quick.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from config.locks import RefreshAlreadyRunning, refresh_lock
from config.settings import reports_dir, serving_dir, warehouse_path
from expectations.suites import SUITES
from ingestion.load.loader import LandingFolderError, check_landing_folder, landing_files
from serving.build_state import unchanged_since
from serving.check_counts import CheckCounts
from serving.last_good import KeptVersion, kept_last_good
from serving.publish import MART_TABLES, PublishedVersion
from serving.release.package import DESCRIPTOR, package_path
from serving.status import ServingStatus, serving_status

if TYPE_CHECKING:
    from dagster import ExecuteInProcessResult

# The quarantine count is the `quarantine_is_empty` check's own query (the same rows as marts.quarantined_files).
QUARANTINE_SUITE = next(suite for suite in SUITES if suite.check == "quarantine_is_empty")
# Exit status of a run that found another refresh of the same warehouse running (EX_TEMPFAIL: try later).
EXIT_ANOTHER_REFRESH = 75
EXIT_BAD_LANDING_FOLDER = 2


@dataclass
class RunSummary:
    success: bool
    mart_rows: dict[str, int | None] = field(default_factory=dict)  # None: could not be read
    quarantined: int | None = None  # None: could not be read
    checks: CheckCounts = field(default_factory=CheckCounts)  # the checks evaluated in this run
    published: PublishedVersion | None = None  # the version this run published
    serving: ServingStatus | None = None
    unchanged: PublishedVersion | None = None  # nothing new since this version: no Dagster run was started
    marts_unchanged: PublishedVersion | None = None  # the run rebuilt the marts of this version: not republished
    empty_landing: bool = False  # the landing folder holds no report file
    kept: list[KeptVersion] = field(default_factory=list)  # inspections kept from a last good version

    def lines(self) -> list[str]:
        rows = ", ".join(f"{name} {'?' if count is None else count}" for name, count in self.mart_rows.items())
        quarantined = "unknown (raw tables not readable)" if self.quarantined is None else str(self.quarantined)
        lines = [f"run: {'succeeded' if self.success else 'FAILED'}"]
        if self.unchanged is not None:
            lines = [
                f"run: nothing to do: nothing changed since serving version {self.unchanged.id} (same files, parser "
                "and dbt project); no run was started, every check keeps its last result",
                "  to rebuild and publish anyway: `inspections run --force` (make run FORCE=1)",
            ]
        lines += [f"marts: {rows or 'not built'}", f"quarantined files: {quarantined}"]
        lines += [f"kept last good version: {kept.text()}" for kept in self.kept]
        if self.empty_landing and self.mart_rows.get("inspections"):
            lines.append(
                f"landing folder is EMPTY: the {self.mart_rows['inspections']} inspections read from earlier files "
                "are kept"
            )
        if self.checks.total:
            lines.append(f"checks run: {self.checks.text()}")
            lines += self.checks.failure_lines()
        elif self.unchanged is None:
            lines.append("checks run: none")
        return lines + self._serving_lines()

    def _serving_lines(self) -> list[str]:
        current = self.serving.current if self.serving else None
        if self.published is not None:
            lines = [
                f"serving copy: published version {self.published.id} to {serving_dir()}",
                f"  checks on its marts: {CheckCounts.of(self.published.checks).text()}",
                f"  data release: {package_path(self.published) / DESCRIPTOR} (`inspections serving release --out DIR`)",
            ]
        elif (same := self.unchanged or self.marts_unchanged) is not None and current is not None:
            why = "marts identical to it, nothing published" if self.marts_unchanged else "left as it was"
            lines = [
                f"serving copy: version {current.id} ({why}; checks on its marts: {CheckCounts.of(same.checks).text()})"
            ]
        else:
            kept = f", still at version {current.id}" if current is not None else ""
            lines = [f"serving copy: not published{kept}"]
        if self.serving is not None and self.serving.pinned:
            lines.append(self.serving.pinned_message())
        return lines


def summarise(result: ExecuteInProcessResult) -> RunSummary:
    from orchestration.assets.serving import SERVING_COPY

    checks = [
        {
            "name": f"{e.asset_key.to_user_string()}:{e.check_name}",
            "severity": e.severity.value,
            "blocking": e.blocking,
            "passed": e.passed,
        }
        for e in result.get_asset_check_evaluations()
    ]
    serving = serving_status(serving_dir())
    summary = RunSummary(success=result.success, checks=CheckCounts.of(checks), serving=serving)
    for event in result.get_asset_materialization_events():
        if event.asset_key == SERVING_COPY:
            published = event.materialization.metadata["published"].value
            if published:
                summary.published = serving.latest
            else:
                summary.marts_unchanged = serving.latest
    summary.mart_rows, summary.quarantined = warehouse_counts(warehouse_path())
    summary.kept = kept_versions(warehouse_path())
    return summary


def warehouse_counts(warehouse: Path) -> tuple[dict[str, int | None], int | None]:
    """Rows of each published mart and the number of quarantined files, each read on its own:
    a mart that is missing does not hide the others or the quarantine."""
    rows: dict[str, int | None] = {}
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error:
        return {}, None
    with con:
        for table in MART_TABLES:
            rows[table] = _count(con, f"SELECT count(*) FROM marts.{table}")
        quarantined = _count(con, f"SELECT count(*) FROM ({QUARANTINE_SUITE.sql})")
    return ({} if all(v is None for v in rows.values()) else rows), quarantined


def kept_versions(warehouse: Path) -> list[KeptVersion]:
    """The inspections the marts keep from a last good version (none when the marts cannot be read)."""
    try:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            return kept_last_good(con)
    except duckdb.Error:
        return []


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int | None:
    try:
        return int(con.execute(sql).fetchone()[0])
    except duckdb.Error:
        return None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Refresh everything once: parse new or changed reports of the landing folder, build and check the marts, "
        "publish the serving copy and its dashboard. Does nothing (and says so) when nothing changed."
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="rebuild every mart from scratch and publish a new serving version even when nothing changed "
        "(the rebuild_all job)",
    )
    parser.add_argument(
        "--reports", type=Path, metavar="DIR", help="landing folder (default: PROBATION_REPORTS_DIR or data/reports)"
    )
    parser.add_argument(
        "--warehouse",
        type=Path,
        metavar="PATH",
        help="working warehouse file (default: PROBATION_WAREHOUSE or warehouse/probation.duckdb); the serving "
        "copy is written beside it",
    )


def run(args: argparse.Namespace) -> int:
    # Set before Dagster's definitions load: the resources and dbt's profile read them from the environment.
    if args.reports is not None:
        os.environ["PROBATION_REPORTS_DIR"] = str(args.reports.expanduser().resolve())
    if args.warehouse is not None:
        os.environ["PROBATION_WAREHOUSE"] = str(args.warehouse.expanduser().resolve())
    landing, warehouse = reports_dir(), warehouse_path()
    print(f"landing folder: {landing}\nwarehouse: {warehouse}")
    try:
        check_landing_folder(landing)
    except LandingFolderError as error:
        print(f"run: not started: {error}; nothing was changed", file=sys.stderr)
        return EXIT_BAD_LANDING_FOLDER
    try:
        # Taken before any Dagster run exists: the loser creates no run and plans no check.
        with refresh_lock(warehouse):
            same = None if args.force else unchanged_since(warehouse, landing, serving_dir())
            if same is not None:
                summary = RunSummary(success=True, serving=serving_status(serving_dir()), unchanged=same)
                summary.mart_rows, summary.quarantined = warehouse_counts(warehouse)
                result = None
            else:
                result = _execute(force=args.force)
                summary = summarise(result)
    except RefreshAlreadyRunning as busy:
        print(f"run: not started: {busy}; nothing was changed", file=sys.stderr)
        return EXIT_ANOTHER_REFRESH
    summary.empty_landing = next(iter(landing_files(landing)), None) is None
    print("\n".join(summary.lines()))
    if result is not None:
        from orchestration.assets.serving import postgres_publish_line

        if postgres_line := postgres_publish_line(result):  # only when PROBATION_SERVING_POSTGRES_URL is set
            print(postgres_line)
    return 0 if summary.success else 1


def _execute(*, force: bool) -> ExecuteInProcessResult:
    from orchestration.definitions import REFRESH_JOB_NAME, defs
    from orchestration.instance import open_instance
    from orchestration.jobs import REBUILD_CONFIG

    job = defs.resolve_job_def(REFRESH_JOB_NAME)
    # dbt's own progress lines (dagster-dbt echoes them to stdout) would bury the summary; the run's log in
    # Dagster and dbt's log file (dbt_project/target/build/dbt.log) keep them, and errors reach the summary.
    with open(os.devnull, "w") as devnull, contextlib.redirect_stdout(devnull):
        return job.execute_in_process(
            run_config=REBUILD_CONFIG if force else None, instance=open_instance(), raise_on_error=False
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="inspections run")
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
