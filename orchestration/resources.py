"""Dagster resources: the DuckDB warehouse (held by one refresh at a time) and dbt, passed to the assets."""

# No `from __future__ import annotations`: Dagster reads the resource's field annotations at runtime.
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
from dagster import ConfigurableResource, EnvVar, InitResourceContext, MetadataValue
from dagster_dbt import DbtCliResource, DbtProject

from config.locks import refresh_lock
from config.settings import DBT_PROJECT_DIR, warehouse_path
from expectations.runner import to_markdown

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
    def yield_for_execution(self, context: InitResourceContext) -> Iterator["DuckDBWarehouse"]:
        # The run holds the warehouse's refresh lock from its first step to its last (the in-process executor
        # builds resources once per run): a run and `inspections run` on the same warehouse never both write.
        # A run that finds it taken fails at once with "another refresh is running (pid N)".
        with refresh_lock(self.path):
            yield self

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


def dbt_resource() -> DbtCliResource:
    # The dbt installed beside this Python: `.venv/bin` need not be on PATH (`.venv/bin/inspections run`).
    beside = Path(sys.executable).parent / "dbt"
    return DbtCliResource(project_dir=dbt_project, dbt_executable=str(beside) if beside.exists() else "dbt")


RESOURCES = {"dbt": dbt_resource(), "warehouse": warehouse_resource()}
