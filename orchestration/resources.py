"""Dagster resources: the DuckDB warehouse and the dbt command line, passed by parameter to the assets."""

# No `from __future__ import annotations`: Dagster reads the resource's field annotations at runtime.
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
from dagster import ConfigurableResource, EnvVar, MetadataValue
from dagster_dbt import DbtCliResource, DbtProject

from config.settings import DBT_PROJECT_DIR, warehouse_path

PREVIEW_ROWS = 10
WAREHOUSE_ENV = "PROBATION_WAREHOUSE"

# dbt runs as a subprocess and reads the warehouse path from this variable too; the EnvVar below then
# always resolves, to the project's default when nobody set it.
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
        preview = con.execute(f'SELECT * FROM "{schema}"."{table}" LIMIT {PREVIEW_ROWS}').df()
        return {
            "dagster/row_count": MetadataValue.int(int(count)),
            "preview": MetadataValue.md(preview.to_markdown(index=False) if len(preview) else "_empty_"),
        }


def warehouse_resource() -> DuckDBWarehouse:
    return DuckDBWarehouse(database=EnvVar(WAREHOUSE_ENV))


def dbt_resource() -> DbtCliResource:
    # The dbt installed beside this Python, whether or not the virtualenv is on PATH.
    executable = Path(sys.executable).parent / "dbt"
    return DbtCliResource(
        project_dir=dbt_project,
        profiles_dir=str(DBT_PROJECT_DIR),
        dbt_executable=str(executable) if executable.exists() else "dbt",
    )


RESOURCES = {"dbt": dbt_resource(), "warehouse": warehouse_resource()}
