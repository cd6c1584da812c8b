"""`make run`: materialise every asset once (the refresh_all job) and print a short summary."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

import duckdb
from dagster import ExecuteInProcessResult

from orchestration.instance import open_instance
from orchestration.locks import RefreshAlreadyRunning, refresh_lock
from orchestration.serving_assets import postgres_publish_line
from orchestration.settings import reports_dir, serving_dir, warehouse_path

SUMMARY_TABLES = ("inspections", "ratings", "scores", "recommendations", "findings", "pdus")


@dataclass
class RunSummary:
    success: bool
    mart_rows: dict[str, int] = field(default_factory=dict)
    quarantined: int = 0
    checks_passed: list[str] = field(default_factory=list)
    checks_failed: list[str] = field(default_factory=list)  # "name (severity)"
    published: bool = False
    unchanged: bool = False  # nothing new since the last published refresh: the run stopped after raw

    def lines(self) -> list[str]:
        rows = ", ".join(f"{name} {count}" for name, count in self.mart_rows.items())
        lines = [
            f"run: {'succeeded' if self.success else 'FAILED'}",
            f"marts: {rows or 'not built'}",
            f"quarantined files: {self.quarantined}",
            f"checks: {len(self.checks_passed)} passed, {len(self.checks_failed)} failed",
        ]
        lines += [f"  failed: {name}" for name in self.checks_failed]
        if self.unchanged:
            lines.append("nothing changed since the last published refresh: marts and serving copy left as they were")
        else:
            lines.append(f"serving copy: {'published to ' + str(serving_dir()) if self.published else 'not published'}")
        return lines


def summarise(result: ExecuteInProcessResult) -> RunSummary:
    summary = RunSummary(success=result.success)
    for evaluation in result.get_asset_check_evaluations():
        name = f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}"
        if evaluation.passed:
            summary.checks_passed.append(name)
        else:
            summary.checks_failed.append(f"{name} ({evaluation.severity.value.lower()})")
    keys = {event.asset_key.to_user_string() for event in result.get_asset_materialization_events()}
    summary.published = "serving/marts" in keys
    summary.unchanged = result.success and "raw/reports" not in keys
    try:
        with duckdb.connect(str(warehouse_path()), read_only=True) as con:
            for table in SUMMARY_TABLES:
                summary.mart_rows[table] = con.execute(f"SELECT count(*) FROM marts.{table}").fetchone()[0]
            summary.quarantined = con.execute(
                "SELECT count(*) FROM raw.report_files WHERE status = 'quarantined' AND present"
            ).fetchone()[0]
    except duckdb.Error:
        pass  # the summary says "not built"
    return summary


# Exit status of a run that found another refresh of the same warehouse running (EX_TEMPFAIL: try later).
EXIT_ANOTHER_REFRESH = 75


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
