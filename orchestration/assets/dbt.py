"""dbt models, seeds and tests as Dagster assets and asset checks.

Asset keys follow the warehouse: raw sources -> ["raw", table], models -> [schema, name]
(staging, intermediate, marts), seeds -> ["reference", name]. dbt tests become asset checks.
dbt runs in the step's own process (orchestration/dbt_inprocess.py), not as a subprocess. A run of the whole
project leaves out the seeds that are unchanged since they were last loaded (orchestration/seed_state.py).
"""
# No `from __future__ import annotations` here: Dagster inspects the context annotation at runtime.

import os
from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any

import duckdb
from dagster import AssetExecutionContext, AssetKey, AssetObservation, Config, MetadataValue, Output
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, dbt_assets
from dagster_dbt.asset_utils import (
    get_asset_check_key_for_test,
    get_manifest_and_translator_from_dbt_assets,
    get_subset_selection_for_context,
)
from dagster_dbt.core.dbt_cli_event import DbtCoreCliEventMessage

from orchestration import unchanged
from orchestration.dbt_inprocess import DbtBuildError, stream_build
from orchestration.resources import DbtInProcess, DuckDBWarehouse, dbt_project
from orchestration.seed_state import SeedPlan, find_unchanged, plan_seeds, record_loaded


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


def _whole_project(context: AssetExecutionContext) -> bool:
    # dagster-dbt's own test for "not a subset" (get_subset_selection_for_context): every asset and check selected.
    assets_def = context.assets_def
    return (
        assets_def.keys_by_output_name == assets_def.node_keys_by_output_name
        and assets_def.check_specs_by_output_name == assets_def.node_check_specs_by_output_name
    )


def _seed_plan(
    context: AssetExecutionContext, config: DbtBuildConfig, dbt: DbtInProcess, warehouse: DuckDBWarehouse
) -> SeedPlan:
    """Every seed, and those this build leaves out. Only a run of the whole project (refresh_all, "Materialize
    all") leaves any out: an explicit selection of assets loads the seeds it selects, --full-refresh all of them."""
    plan = plan_seeds(dbt.project().manifest())
    if _whole_project(context) and not config.full_refresh and warehouse.path.exists():
        with warehouse.connect(read_only=True) as con:
            find_unchanged(plan, con)
    return plan


def _record_loaded_seeds(
    context: AssetExecutionContext, warehouse: DuckDBWarehouse, plan: SeedPlan, statuses: Mapping[str, str]
) -> None:
    # After dbt released the warehouse: the seeds this build loaded and tested are "unchanged" for the next one.
    if seeds := plan.to_record(statuses):
        with warehouse.connect(read_only=False) as con:
            record_loaded(con, seeds, context.run.run_id)


def _report_unchanged_seeds(
    context: AssetExecutionContext, manifest: Mapping[str, Any], plan: SeedPlan
) -> Iterator[AssetObservation]:
    """An observation per seed left out, and the checks left out with them keep their last result."""
    checks = _check_keys_of(manifest, plan.excluded_tests()) & context.selected_asset_check_keys
    unchanged.carry_over_check_results(context, checks, "the seeds it reads are unchanged (not reloaded)")
    for uid, loaded in sorted(plan.unchanged.items()):
        status = f"unchanged since {loaded.at:%Y-%m-%d %H:%M:%S} UTC (not reloaded)"
        yield AssetObservation(
            asset_key=translator.get_asset_key(manifest["nodes"][uid]),
            description=status,
            metadata={
                "status": MetadataValue.text(status),
                "loaded_at": MetadataValue.text(f"{loaded.at:%Y-%m-%dT%H:%M:%S}Z"),
                "loaded_by_run": MetadataValue.text(loaded.by),
                "fingerprint": MetadataValue.text(plan.seeds[uid].fingerprint),
            },
        )


def _check_keys_of(manifest: Mapping[str, Any], tests: set[str]) -> set[Any]:
    return {get_asset_check_key_for_test(manifest, translator, test, dbt_project) for test in tests} - {None}


def _summary(tally: Counter[str], plan: SeedPlan) -> str:
    line = "dbt build: " + (", ".join(f"{n} {kind}" for kind, n in sorted(tally.items())) or "no nodes")
    if plan.unchanged:
        line += (
            f"; {len(plan.unchanged)} seeds unchanged (not reloaded; {len(plan.excluded_tests())} tests "
            "reading only them not re-run, their checks keep their last result)"
        )
    return line


@dbt_assets(manifest=dbt_project.manifest_path, dagster_dbt_translator=translator)
def dbt_models(
    context: AssetExecutionContext, config: DbtBuildConfig, dbt: DbtInProcess, warehouse: DuckDBWarehouse
) -> Iterator[Any]:
    """Seeds, staging and intermediate views and mart tables, built and tested by `dbt build`."""
    manifest, args, env = _selection(context)
    # dbt's console lines would repeat what Dagster shows; errors still print, and logs/dbt.log has everything.
    args.append("--quiet")
    if config.full_refresh:
        args.append("--full-refresh")
    plan = _seed_plan(context, config, dbt, warehouse)
    if plan.unchanged:
        # Cautious: an excluded seed takes with it only the tests whose parents are all excluded; a test between a
        # model and a seed stays. The run selects the whole project, so every other node is selected directly.
        args += plan.exclude_args()
        env["DBT_INDIRECT_SELECTION"] = "cautious"
        yield from _report_unchanged_seeds(context, manifest, plan)
    events: list[Any] = []
    tally: Counter[str] = Counter()
    statuses: dict[str, str] = {}
    try:
        for result in stream_build(dbt.project(), args, env):
            tally[f"{result.resource_type} {result.status}"] += 1
            statuses[result.name] = result.status
            message = DbtCoreCliEventMessage(raw_event=result.raw_event, event_history_metadata={})
            events += message.to_default_asset_events(
                manifest=manifest, dagster_dbt_translator=translator, context=context, project=dbt_project
            )
    except Exception as error:
        if isinstance(error, DbtBuildError):  # dbt has finished: the seeds that loaded and passed still count
            _record_loaded_seeds(context, warehouse, plan, statuses)
        yield from events  # keep what was built and tested before the failure visible
        raise
    finally:
        context.log.info(_summary(tally, plan))
    _record_loaded_seeds(context, warehouse, plan, statuses)
    yield from _with_table_metadata(context, warehouse, events)
