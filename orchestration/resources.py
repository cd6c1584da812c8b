"""Dagster resources: the DuckDB warehouse and in-process dbt, passed by parameter to the assets."""

# No `from __future__ import annotations`: Dagster reads the resource's field annotations at runtime.
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
from dagster import ConfigurableResource, EnvVar, MetadataValue
from dagster_dbt import DbtProject

from config.settings import DBT_PROJECT_DIR, warehouse_path
from expectations.runner import to_markdown
from orchestration.dbt_inprocess import ParsedProject

PREVIEW_ROWS = 10
WAREHOUSE_ENV = "PROBATION_WAREHOUSE"

# dbt's profile reads the warehouse path from this variable too; the EnvVar below then always resolves,
# to the project's default when nobody set it.
os.environ.setdefault(WAREHOUSE_ENV, str(warehouse_path()))

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


class DuckDBWarehouse(ConfigurableResource):
    """The working warehouse file: every asset and check that reads or writes it gets it from here."""

    database: str

    @property
    def path(self) -> Path:
        return Path(self.database).expanduser().resolve()

    @contextmanager
    def connect(self, *, read_only: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
        # Read-only by default: DuckDB allows one writer per file, and only the loader and dbt write.
        with duckdb.connect(str(self.path), read_only=read_only) as con:
            yield con

    @staticmethod
    def table_metadata(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> dict[str, Any]:
        """Row count and a markdown preview of one warehouse table."""
        count = con.execute(f'SELECT count(*) FROM "{schema}"."{table}"').fetchone()[0]
        cursor = con.execute(f'SELECT * FROM "{schema}"."{table}" LIMIT {PREVIEW_ROWS}')
        columns = [column[0] for column in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        return {
            "dagster/row_count": MetadataValue.int(int(count)),
            # Plain-Python markdown: no pandas for a preview (a refresh that changes nothing never loads it).
            "preview": MetadataValue.md(to_markdown(rows) if rows else "_empty_"),
        }


def warehouse_resource() -> DuckDBWarehouse:
    return DuckDBWarehouse(database=EnvVar(WAREHOUSE_ENV))


class DbtInProcess(ConfigurableResource):
    """The dbt project, run with dbt's Python API in the step's process (orchestration/dbt_inprocess.py)."""

    project_dir: str
    profiles_dir: str

    def project(self) -> ParsedProject:
        return _parsed_project(Path(self.project_dir), Path(self.profiles_dir))


@cache
def _parsed_project(project_dir: Path, profiles_dir: Path) -> ParsedProject:
    # One parsed project per process: each run (and each test) reuses the manifest while nothing changed.
    return ParsedProject(project_dir.resolve(), profiles_dir.resolve())


def dbt_resource() -> DbtInProcess:
    return DbtInProcess(project_dir=str(DBT_PROJECT_DIR), profiles_dir=str(DBT_PROJECT_DIR))


RESOURCES = {"dbt": dbt_resource(), "warehouse": warehouse_resource()}
