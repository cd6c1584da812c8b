"""What a refresh with nothing new shows in Dagster, so that a no-op never looks like an empty success.

When nothing changed since the last published refresh, the raw-tables step ends the run early (dbt,
checks and publish would rebuild identical marts). Without more, the UI would show a green run that did
nothing and every check greyed out as skipped. Here:

- the run gets the tag `probation/unchanged_since_serving_version` and each raw table an observation
  saying "unchanged since serving version X";
- every check the run planned is re-reported with its last evaluated result, marked in its metadata as
  not re-run (same inputs, same marts: the last result still describes them), so the UI keeps showing it;
  a check that never finished is left alone (nothing to show).
"""

from __future__ import annotations

from collections.abc import Iterable

from dagster import AssetCheckEvaluation, AssetCheckKey, AssetExecutionContext, AssetKey, MetadataValue

from orchestration.check_history import latest_finished

UNCHANGED_TAG = "probation/unchanged_since_serving_version"
CARRIED_OVER_KEY = "not_re_run"


def published_version_id(context: AssetExecutionContext) -> str | None:
    """Version id of the last serving copy published through Dagster (the one the inputs match)."""
    event = context.instance.get_latest_materialization_event(AssetKey(["serving", "marts"]))
    if event is None or event.asset_materialization is None:
        return None
    value = event.asset_materialization.metadata.get("version_id")
    return getattr(value, "value", None)


def unchanged_message(version_id: str | None) -> str:
    return f"unchanged since serving version {version_id or 'unknown'}"


def tag_run(context: AssetExecutionContext, version_id: str | None) -> None:
    context.instance.add_run_tags(context.run.run_id, {UNCHANGED_TAG: version_id or "unknown"})


def planned_checks(context: AssetExecutionContext) -> set[AssetCheckKey]:
    """The checks this run was launched with (they will be skipped now that the run stops early)."""
    selected = context.run.asset_check_selection
    if selected is not None:
        return set(selected)
    return set(context.job_def.asset_layer.asset_graph.asset_check_keys)


def carry_over_check_results(context: AssetExecutionContext, keys: Iterable[AssetCheckKey], why: str) -> int:
    """Re-report each check's last result, marked as not re-run because `why` (e.g. "inputs unchanged since
    ..."); returns how many were carried over. Also used for the tests of unchanged dbt seeds (assets/dbt.py)."""
    carried = 0
    for key in sorted(keys, key=lambda k: k.to_user_string()):
        record = latest_finished(context.instance, key)
        if record is None:
            continue
        last = record.evaluation
        note = f"not re-run: {why}; result of run {record.run_id}"
        context.instance.report_runless_asset_event(
            AssetCheckEvaluation(
                asset_key=last.asset_key,
                check_name=last.check_name,
                passed=last.passed,
                metadata={**last.metadata, CARRIED_OVER_KEY: MetadataValue.text(note)},
                target_materialization_data=last.target_materialization_data,  # still the marts it audited
                severity=last.severity,
                description=note,
                blocking=last.blocking,
            )
        )
        carried += 1
    return carried
