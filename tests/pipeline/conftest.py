"""A private project environment for Dagster runs: its own landing folder, warehouse and instance."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterInstance, ExecuteInProcessResult

from tests.conftest import SAMPLE_FILES


@dataclass
class Project:
    landing: Path
    warehouse: Path
    instance: DagsterInstance

    def run(self) -> ExecuteInProcessResult:
        from orchestration.definitions import REFRESH_JOB_NAME, defs

        return defs.resolve_job_def(REFRESH_JOB_NAME).execute_in_process(instance=self.instance, raise_on_error=False)

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            return con.execute(sql).fetchall()


@pytest.fixture()
def landing(tmp_path: Path) -> Path:
    """A landing folder holding copies of the three sample reports."""
    folder = tmp_path / "reports"
    folder.mkdir()
    for path in SAMPLE_FILES.values():
        shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture(scope="session")
def dbt_manifest() -> None:
    """dagster-dbt needs dbt's manifest before the definitions load."""
    from cli.dbt_manifest import prepare_manifest

    prepare_manifest()


@contextmanager
def _project(root: Path) -> Iterator[Project]:
    landing = root / "reports"
    landing.mkdir()
    for path in SAMPLE_FILES.values():
        shutil.copy(path, landing / path.name)
    warehouse = root / "warehouse" / "probation.duckdb"
    with pytest.MonkeyPatch.context() as env, DagsterInstance.ephemeral() as instance:
        env.setenv("PROBATION_REPORTS_DIR", str(landing))
        env.setenv("PROBATION_WAREHOUSE", str(warehouse))
        env.setenv("PROBATION_FETCH", "0")
        yield Project(landing, warehouse, instance)


@pytest.fixture()
def project(tmp_path: Path, dbt_manifest: None) -> Iterator[Project]:
    with _project(tmp_path) as fresh:
        yield fresh


@pytest.fixture(scope="module")
def module_project(tmp_path_factory: pytest.TempPathFactory, dbt_manifest: None) -> Iterator[Project]:
    """One project shared by a module's tests: whole-graph runs cost tens of seconds each."""
    with _project(tmp_path_factory.mktemp("project")) as shared:
        yield shared
