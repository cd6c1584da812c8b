"""dbt models, seeds and tests as Dagster assets and asset checks.

Asset keys follow the warehouse: raw sources -> ["raw", table], models -> [schema, name]
(staging, intermediate, marts), seeds -> ["reference", name]. dbt tests become asset checks.
"""
# No `from __future__ import annotations` here: Dagster inspects the context annotation at runtime.

from collections.abc import Iterator, Mapping
from typing import Any

import duckdb
from dagster import AssetExecutionContext, AssetKey, Output
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from orchestration.resources import DuckDBWarehouse, dbt_project


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


@dbt_assets(manifest=dbt_project.manifest_path, dagster_dbt_translator=translator)
def dbt_models(context: AssetExecutionContext, dbt: DbtCliResource, warehouse: DuckDBWarehouse) -> Iterator[Any]:
    """Seeds, staging views and mart tables, built and tested by `dbt build`."""
    events: list[Any] = []
    try:
        for event in dbt.cli(["build"], context=context).stream():
            events.append(event)
    except Exception:
        yield from events  # keep what was built and tested before the failure visible
        raise
    yield from _with_table_metadata(context, warehouse, events)
