"""dbt models, seeds and tests as Dagster assets and asset checks.

Asset keys follow the warehouse: raw sources -> ["raw", table], models -> [schema, name]
(staging, intermediate, marts), seeds -> ["reference", name]. dbt tests become asset checks.
dbt runs in the step's own process (orchestration/dbt_inprocess.py), not as a subprocess.
"""
# No `from __future__ import annotations` here: Dagster inspects the context annotation at runtime.

import os
from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any

import duckdb
from dagster import AssetExecutionContext, AssetKey, Config, Output
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, dbt_assets
from dagster_dbt.asset_utils import get_manifest_and_translator_from_dbt_assets, get_subset_selection_for_context
from dagster_dbt.core.dbt_cli_event import DbtCoreCliEventMessage

from orchestration import gx_worker
from orchestration.dbt_inprocess import stream_build
from orchestration.resources import DbtInProcess, DuckDBWarehouse, dbt_project


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


class DbtBuildConfig(Config):
    # Rebuild the incremental marts from scratch (`dbt build --full-refresh`): the rebuild_all job sets it.
    full_refresh: bool = False


def _selection(context: AssetExecutionContext) -> tuple[Mapping[str, Any], list[str], dict[str, str]]:
    """The manifest the assets were defined from, dbt's --select arguments for the assets and checks Dagster
    selected, and the indirect-selection mode."""
    manifest, translator_in_use, _ = get_manifest_and_translator_from_dbt_assets([context.assets_def])
    indirect = os.environ.get("DBT_INDIRECT_SELECTION")
    args, indirect_override = get_subset_selection_for_context(
        context=context,
        manifest=manifest,
        select=None,
        exclude=None,
        selector=None,
        dagster_dbt_translator=translator_in_use,
        current_dbt_indirect_selection_env=indirect,
    )
    mode = indirect_override or indirect
    return manifest, list(args), ({"DBT_INDIRECT_SELECTION": mode} if mode else {})


@dbt_assets(manifest=dbt_project.manifest_path, dagster_dbt_translator=translator)
def dbt_models(
    context: AssetExecutionContext, config: DbtBuildConfig, dbt: DbtInProcess, warehouse: DuckDBWarehouse
) -> Iterator[Any]:
    """Seeds, staging and intermediate views and mart tables, built and tested by `dbt build`."""
    gx_worker.start(context)  # GX's import runs on the other core while dbt builds (orchestration/gx_worker.py)
    manifest, args, env = _selection(context)
    # dbt's console lines would repeat what Dagster shows; errors still print, and logs/dbt.log has everything.
    args.append("--quiet")
    if config.full_refresh:
        args.append("--full-refresh")
    events: list[Any] = []
    tally: Counter[str] = Counter()
    try:
        for result in stream_build(dbt.project(), args, env):
            tally[f"{result.resource_type} {result.status}"] += 1
            message = DbtCoreCliEventMessage(raw_event=result.raw_event, event_history_metadata={})
            events += message.to_default_asset_events(
                manifest=manifest, dagster_dbt_translator=translator, context=context, project=dbt_project
            )
    except Exception:
        yield from events  # keep what was built and tested before the failure visible
        raise
    finally:
        context.log.info("dbt build: " + (", ".join(f"{n} {kind}" for kind, n in sorted(tally.items())) or "no nodes"))
    yield from _with_table_metadata(context, warehouse, events)
