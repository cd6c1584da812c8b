"""A private project environment for Dagster runs: its own landing folder, warehouse and instance."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
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

        return defs.get_job_def(REFRESH_JOB_NAME).execute_in_process(instance=self.instance, raise_on_error=False)

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            return con.execute(sql).fetchall()


@pytest.fixture(scope="session")
def dbt_manifest() -> None:
    """dagster-dbt needs dbt's manifest before the definitions load."""
    from orchestration.dbt_manifest import prepare_manifest

    prepare_manifest()


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dbt_manifest: None) -> Iterator[Project]:
    landing = tmp_path / "reports"
    landing.mkdir()
    for path in SAMPLE_FILES.values():
        shutil.copy(path, landing / path.name)
    warehouse = tmp_path / "warehouse" / "probation.duckdb"
    monkeypatch.setenv("PROBATION_REPORTS_DIR", str(landing))
    monkeypatch.setenv("PROBATION_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("PROBATION_FETCH", "0")
    with DagsterInstance.ephemeral() as instance:
        yield Project(landing, warehouse, instance)
