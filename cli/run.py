"""`make run`: materialise every asset once (the refresh_all job) and print a short summary."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
from dagster import ExecuteInProcessResult

from config.locks import RefreshAlreadyRunning, refresh_lock
from config.settings import reports_dir, serving_dir, warehouse_path
from expectations.suites import SUITES
from orchestration.assets.serving import postgres_publish_line
from orchestration.instance import open_instance
from serving.check_counts import CheckCounts
from serving.last_good import KeptVersion, kept_last_good
from serving.publish import MART_TABLES, PublishedVersion
from serving.status import ServingStatus, serving_status

# The quarantine count is the `quarantine_is_empty` check's own query (the same rows as marts.quarantined_files).
QUARANTINE_SUITE = next(suite for suite in SUITES if suite.check == "quarantine_is_empty")


@dataclass
class RunSummary:
    success: bool
    mart_rows: dict[str, int | None] = field(default_factory=dict)  # None: could not be read
    quarantined: int | None = None  # None: could not be read
    checks: CheckCounts = field(default_factory=CheckCounts)  # the checks evaluated in this run
    published: PublishedVersion | None = None  # the version this run published
    serving: ServingStatus | None = None
    unchanged: bool = False  # nothing new since the last published refresh: the run stopped after raw
    kept: list[KeptVersion] = field(default_factory=list)  # inspections kept from a last good version

    def lines(self) -> list[str]:
        rows = ", ".join(f"{name} {'?' if count is None else count}" for name, count in self.mart_rows.items())
        quarantined = "unknown (raw tables not readable)" if self.quarantined is None else str(self.quarantined)
        lines = [
            f"run: {'succeeded' if self.success else 'FAILED'}",
            f"marts: {rows or 'not built'}",
            f"quarantined files: {quarantined}",
        ]
        lines += [f"kept last good version: {kept.text()}" for kept in self.kept]
        if self.checks.total:
            lines.append(f"checks run: {self.checks.text()}")
            lines += self.checks.failure_lines()
        else:
            lines.append(
                "checks run: none" + (" (nothing changed: each check keeps its last result)" if self.unchanged else "")
            )
        lines += self._serving_lines()
        return lines

    def _serving_lines(self) -> list[str]:
        current = self.serving.current if self.serving else None
        if self.published is not None:
            lines = [
                f"serving copy: published version {self.published.id} to {serving_dir()}",
                f"  checks on its marts: {CheckCounts.of(self.published.checks).text()}",
            ]
        elif self.unchanged and current is not None:
            lines = [
                "nothing changed since the last published refresh: marts and serving copy left as they were",
                f"serving copy: version {current.id} (checks on its marts: {CheckCounts.of(current.checks).text()})",
            ]
        else:
            kept = f", still at version {current.id}" if current is not None else ""
            lines = [f"serving copy: not published{kept}"]
        if self.serving is not None and self.serving.pinned:
            lines.append(self.serving.pinned_message())
        return lines


def summarise(result: ExecuteInProcessResult) -> RunSummary:
    checks = [
        {
            "name": f"{e.asset_key.to_user_string()}:{e.check_name}",
            "severity": e.severity.value,
            "blocking": e.blocking,
            "passed": e.passed,
        }
        for e in result.get_asset_check_evaluations()
    ]
    keys = {event.asset_key.to_user_string() for event in result.get_asset_materialization_events()}
    serving = serving_status(serving_dir())
    summary = RunSummary(success=result.success, checks=CheckCounts.of(checks), serving=serving)
    if "serving/marts" in keys:
        summary.published = serving.latest
    summary.unchanged = result.success and "raw/reports" not in keys
    summary.mart_rows, summary.quarantined = warehouse_counts(warehouse_path())
    summary.kept = kept_versions(warehouse_path())
    return summary


# Exit status of a run that found another refresh of the same warehouse running (EX_TEMPFAIL: try later).
EXIT_ANOTHER_REFRESH = 75


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


def main() -> int:
    from orchestration.definitions import REFRESH_JOB_NAME, defs

    print(f"landing folder: {reports_dir()}\nwarehouse: {warehouse_path()}")
    try:
        # Taken before the Dagster run exists: the loser creates no run and plans no check.
        with refresh_lock(warehouse_path()):
            instance = open_instance()
            quiet = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}  # DEBUG lines stay in the UI
            result = defs.resolve_job_def(REFRESH_JOB_NAME).execute_in_process(
                run_config=quiet, instance=instance, raise_on_error=False
            )
            summary = summarise(result)
    except RefreshAlreadyRunning as busy:
        print(f"run: not started: {busy}; nothing was changed", file=sys.stderr)
        return EXIT_ANOTHER_REFRESH
    print("\n".join(summary.lines()))
    if postgres_line := postgres_publish_line(result):  # only when PROBATION_SERVING_POSTGRES_URL is set
        print(postgres_line)
    return 0 if summary.success else 1


if __name__ == "__main__":
    sys.exit(main())
