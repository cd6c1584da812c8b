"""`make run`: materialise every asset once (the refresh_all job) and print a short summary."""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
from dagster import DagsterInstance, ExecuteInProcessResult

from orchestration.serving_assets import postgres_publish_line
from orchestration.settings import PROJECT_ROOT, reports_dir, serving_dir, warehouse_path

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


def ensure_dagster_home() -> Path:
    """The project's own Dagster instance (telemetry off), also when run without make."""
    home = Path(os.environ.setdefault("DAGSTER_HOME", str(PROJECT_ROOT / ".dagster_home")))
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "dagster.yaml").exists():
        shutil.copy(PROJECT_ROOT / "orchestration" / "dagster.yaml", home / "dagster.yaml")
    return home


def main() -> int:
    from orchestration.definitions import REFRESH_JOB_NAME, defs

    print(f"landing folder: {reports_dir()}\nwarehouse: {warehouse_path()}")
    ensure_dagster_home()
    instance = DagsterInstance.get()
    quiet = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}  # step-by-step DEBUG lines stay in the UI
    result = defs.resolve_job_def(REFRESH_JOB_NAME).execute_in_process(
        run_config=quiet, instance=instance, raise_on_error=False
    )
    summary = summarise(result)
    print("\n".join(summary.lines()))
    if postgres_line := postgres_publish_line(result):  # only when PROBATION_SERVING_POSTGRES_URL is set
        print(postgres_line)
    return 0 if summary.success else 1


if __name__ == "__main__":
    sys.exit(main())
