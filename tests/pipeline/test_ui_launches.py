"""What a user launches from the Dagster UI, and `make run`, against a built and an unchanged warehouse.

Runs go through Dagster's own API the way the UI launches them (the code location's asset job with an
asset selection, or a named job with its preset config) on a persistent instance in a temporary
DAGSTER_HOME. `make run` is run as the real command. One project is shared by the module and its tests
run in file order: fresh clone -> built -> nothing changed -> rebuilt (each whole-graph run costs seconds).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from dagster import AssetKey, DagsterInstance, ExecuteInProcessResult

from serving.publish import current_version
from tests.conftest import ROOT, SAMPLE_FILES

pytestmark = pytest.mark.slow

# A line a user reads as a problem: a log record at WARNING or above ("- WARNING -", not dbt's "WARN=0"), a
# Python warning, or the two messages of the issue (Python's last-resort handler prints them without a level).
WARNING_LINE = re.compile(
    r"\b(WARNING|ERROR|CRITICAL)\b(?!=)|Warning: |emitted no result|instead of an `AssetCheckResult`"
    r"|(?i:deprecat|skipping)"
)
LONGEST_LINE = 400  # Dagster's own prefix takes about 110 characters


def noisy_lines(output: str) -> list[str]:
    """Lines a user reads as a problem, and lines too long to read."""
    return [line for line in output.splitlines() if WARNING_LINE.search(line) or len(line) > LONGEST_LINE]


@dataclass
class UiProject:
    root: Path
    env: dict[str, str]
    instance: DagsterInstance

    @property
    def serving(self) -> Path:
        return self.root / "warehouse"

    def make_run(self) -> subprocess.CompletedProcess:
        """`make run`'s command (the Makefile runs exactly this after installing)."""
        return subprocess.run(
            [sys.executable, "-m", "cli.main", "run"],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
        )

    def launch(self, selection: list[AssetKey] | None = None, job: str | None = None) -> ExecuteInProcessResult:
        """A UI launch: "Materialize" on a selection (the implicit asset job), or a job's "Launch run"."""
        from orchestration.definitions import defs

        if job is not None:
            return defs.resolve_job_def(job).execute_in_process(instance=self.instance, raise_on_error=False)
        return defs.resolve_implicit_global_asset_job_def().execute_in_process(
            instance=self.instance, asset_selection=selection, raise_on_error=False
        )


@pytest.fixture(scope="module")
def ui(tmp_path_factory: pytest.TempPathFactory, dbt_manifest: None) -> Iterator[UiProject]:
    root = tmp_path_factory.mktemp("ui")
    landing, home = root / "reports", root / "dagster_home"
    landing.mkdir()
    home.mkdir()
    for path in SAMPLE_FILES.values():
        shutil.copy(path, landing / path.name)
    shutil.copy(ROOT / "orchestration" / "dagster.yaml", home / "dagster.yaml")
    env = {
        "PROBATION_REPORTS_DIR": str(landing),
        "PROBATION_WAREHOUSE": str(root / "warehouse" / "probation.duckdb"),
        "PROBATION_FETCH": "0",
        "DAGSTER_HOME": str(home),
    }
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        with DagsterInstance.get() as instance:
            yield UiProject(root, {**os.environ, **env}, instance)


def asset_keys() -> dict[str, list[AssetKey]]:
    """Every selection a UI user makes on one asset. The raw tables are one op that cannot be split: the
    UI materialises them together, as the serving copy and its dashboard. dbt assets share one op (dbt subsets
    it); a view and a mart stand for them."""
    from orchestration.definitions import defs

    keys = defs.resolve_all_asset_keys()
    raw = [k for k in keys if k.path[0] == "raw"]
    return {
        "landing_reports": [AssetKey("landing_reports")],
        "raw tables": raw,
        "staging/stg_reports": [AssetKey(["staging", "stg_reports"])],
        "intermediate/int_current_inspections": [AssetKey(["intermediate", "int_current_inspections"])],
        "marts/inspections": [AssetKey(["marts", "inspections"])],
        "serving/marts": [AssetKey(["serving", "marts"]), AssetKey(["serving", "dashboard"])],
        "Materialize all": list(keys),
    }


def failures(result: ExecuteInProcessResult) -> list[str]:
    return [f"{e.step_key}: {e.message}" for e in result.all_events if e.is_failure]


def launch_all(ui: UiProject, names: list[str], caplog: pytest.LogCaptureFixture) -> dict[str, list[str]]:
    """Launch each selection in turn; return what went wrong per selection (failures and warning records)."""
    selections = asset_keys()
    problems: dict[str, list[str]] = {}
    for name in names:
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            result = ui.launch(job=name) if name.endswith("_all") else ui.launch(selections[name])
        warned = [r.getMessage()[:200] for r in caplog.records if r.levelno >= logging.WARNING and not _third_party(r)]
        evaluated = {(e.asset_key, e.check_name) for e in result.get_asset_check_evaluations()}
        planned = {(k.asset_key, k.name) for k in result.dagster_run.asset_check_selection or ()}
        if materialized(result) - {"landing_reports"}:  # a run that built something evaluated every planned check
            warned += [f"planned, no result: {k}" for k in sorted(map(str, planned - evaluated))]
        if not result.success or warned:
            problems[name] = failures(result) + warned
    return problems


def _third_party(record: logging.LogRecord) -> bool:
    # Libraries' DeprecationWarnings: pytest turns them on; `make run` and `dagster dev` do not print them.
    return record.name == "py.warnings" and "DeprecationWarning" in record.getMessage()


def materialized(result: ExecuteInProcessResult) -> set[str]:
    return {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}


# --- in file order: a fresh clone's make run, launches on the built warehouse, nothing changed, rebuild ---


def test_make_run_on_a_fresh_clone_builds_and_prints_no_warning(ui: UiProject) -> None:
    run = ui.make_run()
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-3000:]
    assert noisy_lines(output) == []
    assert "run: succeeded" in run.stdout and "serving copy: published version" in run.stdout


def test_every_ui_launch_on_a_built_warehouse(ui: UiProject, caplog: pytest.LogCaptureFixture) -> None:
    # Selections that leave the warehouse "built" (the last refresh really built and checked everything).
    names = ["landing_reports", "serving/marts", "marts/inspections"]
    assert launch_all(ui, names, caplog) == {}


def test_make_run_with_nothing_changed_says_so_starts_no_run_and_prints_no_warning(ui: UiProject) -> None:
    before = current_version(ui.serving)
    runs = len(ui.instance.get_runs())
    run = ui.make_run()
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-3000:]
    assert noisy_lines(output) == []
    assert f"nothing changed since serving version {before.id}" in run.stdout
    assert f"serving copy: version {before.id}" in run.stdout
    assert current_version(ui.serving) == before
    # No Dagster run at all: nothing planned or skipped, so every check keeps showing its last result.
    assert len(ui.instance.get_runs()) == runs


def test_every_ui_launch_on_an_unchanged_warehouse(ui: UiProject, caplog: pytest.LogCaptureFixture) -> None:
    names = [
        "serving/marts",
        "landing_reports",
        "raw tables",
        "staging/stg_reports",
        "refresh_all",
    ]
    assert launch_all(ui, names, caplog) == {}


def test_materialize_all_on_an_unchanged_warehouse_publishes_no_new_version(
    ui: UiProject, caplog: pytest.LogCaptureFixture
) -> None:
    from orchestration.assets.serving import UNCHANGED_TAG

    version = current_version(ui.serving).id
    versions = sorted(p.name for p in (ui.serving / "versions").iterdir())
    assert launch_all(ui, ["Materialize all"], caplog) == {}
    run = ui.instance.get_runs(limit=1)[0]
    assert run.tags[UNCHANGED_TAG] == version  # the run says why nothing was published
    assert sorted(p.name for p in (ui.serving / "versions").iterdir()) == versions
    assert current_version(ui.serving).id == version
    dashboard = ui.instance.fetch_materializations(AssetKey(["serving", "dashboard"]), limit=1).records[0]
    assert dashboard.run_id == run.run_id  # the dashboard is part of every publish step


def test_rebuild_all_is_one_click_and_publishes(ui: UiProject, caplog: pytest.LogCaptureFixture) -> None:
    from orchestration.definitions import REBUILD_JOB_NAME

    before = current_version(ui.serving)
    with caplog.at_level(logging.WARNING):
        result = ui.launch(job=REBUILD_JOB_NAME)  # its force preset: no config to type
    assert result.success, failures(result)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert {"raw/reports", "marts/inspections", "serving/marts", "serving/dashboard"} <= materialized(result)
    assert current_version(ui.serving).id != before.id
    assert all(e.passed for e in result.get_asset_check_evaluations() if e.severity.value == "ERROR")


def test_serving_alone_after_a_run_that_failed_publishes_nothing_new(
    ui: UiProject, caplog: pytest.LogCaptureFixture
) -> None:
    # A "Materialize all" that overlaps another writer (here: a connection holding the warehouse) fails;
    # the serving copy is then materialised alone from the UI: the marts are those of the current version.
    import duckdb

    with duckdb.connect(str(ui.root / "warehouse" / "probation.duckdb")):
        blocked = ui.launch(asset_keys()["Materialize all"])
    assert not blocked.success
    before = current_version(ui.serving)
    assert launch_all(ui, ["serving/marts"], caplog) == {}
    assert current_version(ui.serving).id == before.id


def test_serving_alone_refuses_marts_that_no_run_checked(ui: UiProject) -> None:
    import duckdb

    warehouse = ui.root / "warehouse" / "probation.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("UPDATE marts.inspections SET score = score + 1")  # not built, not checked by any run
    before = current_version(ui.serving)
    result = ui.launch(asset_keys()["serving/marts"])
    assert not result.success
    (failure,) = result.get_step_failure_events()
    assert "were not built and checked in this run" in failure.step_failure_data.user_failure_data.description
    assert current_version(ui.serving) == before
