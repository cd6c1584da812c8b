"""dbt models, seeds and tests as Dagster assets and asset checks, built by `dbt build` through dagster-dbt.

Asset keys follow the warehouse: raw sources -> ["raw", table], models -> [schema, name]
(staging, intermediate, marts), seeds -> ["reference", name]. dbt tests become asset checks. dbt runs
as dagster-dbt's `DbtCliResource` subprocess; dagster-dbt turns the Dagster selection into dbt's --select.
"""
# No `from __future__ import annotations` here: Dagster inspects the context annotation at runtime.

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import duckdb
from dagster import AssetExecutionContext, AssetKey, Config, Output
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from orchestration.resources import DuckDBWarehouse, dbt_project

# One target folder for every build (one refresh at a time): dbt's partial parse state stays there between runs,
# where dagster-dbt's default (a new folder per run) would leave a folder behind for each run.
BUILD_TARGET = Path("target") / "build"


class WarehouseTranslator(DagsterDbtTranslator):
    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        kind = dbt_resource_props["resource_type"]
        name = dbt_resource_props["name"]
        if kind == "source":
            return AssetKey([dbt_resource_props["source_name"], name])
        if kind == "seed":
            return AssetKey(["reference", name])
        schema = dbt_resource_props.get("config", {}).get("schema") or dbt_resource_props["schema"]
        return AssetKey([schema, name])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        return dbt_resource_props.get("config", {}).get("schema") or "dbt"


# Source tests (on the raw tables) are asset checks of the raw assets too: otherwise dagster-dbt logs each one
# as an unexpected observation ("dbt indirect selection") on every run.
translator = WarehouseTranslator(
    settings=DagsterDbtTranslatorSettings(enable_asset_checks=True, enable_source_tests_as_checks=True)
)


class DbtBuildConfig(Config):
    # Rebuild the incremental marts from scratch (`dbt build --full-refresh`): the rebuild_all job sets it.
    full_refresh: bool = False


def _with_table_metadata(
    context: AssetExecutionContext, warehouse: DuckDBWarehouse, events: list[Any]
) -> Iterator[Any]:
    # Read only after dbt has exited: DuckDB takes one writer, and dbt held the file until now.
    with warehouse.connect(read_only=True) as con:
        for event in events:
            if isinstance(event, Output):
                schema, table = context.asset_key_for_output(event.output_name).path[-2:]
                try:
                    event = event.with_metadata({**event.metadata, **warehouse.table_metadata(con, schema, table)})
                except duckdb.Error as error:
                    context.log.warning(f"no preview for {schema}.{table}: {error}")
            yield event


@dbt_assets(manifest=dbt_project.manifest_path, dagster_dbt_translator=translator, project=dbt_project)
def dbt_models(
    context: AssetExecutionContext, config: DbtBuildConfig, dbt: DbtCliResource, warehouse: DuckDBWarehouse
) -> Iterator[Any]:
    """Seeds, staging and intermediate views and mart tables, built and tested by `dbt build`."""
    args = ["build", "--full-refresh"] if config.full_refresh else ["build"]
    events: list[Any] = []
    try:
        events.extend(dbt.cli(args, context=context, target_path=BUILD_TARGET).stream())
    except Exception:
        yield from events  # keep what was built and tested before the failure visible
        raise
    yield from _with_table_metadata(context, warehouse, events)
