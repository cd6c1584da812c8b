"""Dagster wiring: serving_copy publishes only audited marts; a failing blocking check keeps the old version."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetKey,
    AssetSpec,
    DagsterInstance,
    MaterializeResult,
    asset_check,
    materialize,
    multi_asset,
)

from orchestration.assets.serving import DASHBOARD, MART_KEYS, SERVING_COPY, serving_copy
from orchestration.resources import RESOURCES
from serving.publish import current_version, list_versions
from tests.serving.marts_data import add_inspection

# Stand-ins for the main engineer's mart assets and checks, with the same keys and blocking semantics.
CHECK_PASSES = {"unique": True, "scores": True}


@multi_asset(specs=[AssetSpec(key) for key in MART_KEYS])
def marts_stand_in():
    for key in MART_KEYS:
        yield MaterializeResult(asset_key=key)


@asset_check(asset=AssetKey(["marts", "inspections"]), blocking=True)
def inspection_ids_unique() -> AssetCheckResult:
    return AssetCheckResult(passed=CHECK_PASSES["unique"], severity=AssetCheckSeverity.ERROR)


@asset_check(asset=AssetKey(["marts", "ratings"]))
def fieldwork_dates_agree() -> AssetCheckResult:
    return AssetCheckResult(passed=False, severity=AssetCheckSeverity.WARN)


@asset_check(asset=AssetKey(["marts", "scores"]))  # error severity but not blocking, like some dbt tests
def pct_in_range() -> AssetCheckResult:
    return AssetCheckResult(passed=CHECK_PASSES["scores"], severity=AssetCheckSeverity.ERROR)


ALL = [marts_stand_in, serving_copy, inspection_ids_unique, fieldwork_dates_agree, pct_in_range]


@pytest.fixture
def env(warehouse: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PROBATION_WAREHOUSE", str(warehouse))
    monkeypatch.setitem(CHECK_PASSES, "unique", True)
    monkeypatch.setitem(CHECK_PASSES, "scores", True)
    return warehouse.parent


def materialized(result) -> set[AssetKey]:
    return {event.asset_key for event in result.get_asset_materialization_events()}


def metadata_of(result, key: AssetKey) -> dict:
    events = [e for e in result.get_asset_materialization_events() if e.asset_key == key]
    return events[0].materialization.metadata


def test_run_publishes_and_records_the_checks(env: Path) -> None:
    result = materialize(ALL, resources=RESOURCES, instance=DagsterInstance.ephemeral())
    assert result.success
    assert {SERVING_COPY, DASHBOARD} <= materialized(result)

    version = current_version(env)
    checks = {c["name"]: c for c in version.checks}
    assert checks["marts/inspections:inspection_ids_unique"]["passed"] is True
    assert checks["marts/inspections:inspection_ids_unique"]["severity"] == "ERROR"
    assert checks["marts/ratings:fieldwork_dates_agree"] == {
        **checks["marts/ratings:fieldwork_dates_agree"],
        "passed": False,
        "severity": "WARN",
    }
    metadata = metadata_of(result, SERVING_COPY)
    assert metadata["version_id"].value == version.id
    assert metadata["row_counts"].value == version.row_counts
    assert version.id in metadata["versions"].value
    assert (env / "dashboard.html").stat().st_size == metadata_of(result, DASHBOARD)["size_bytes"].value
    assert json.loads((version.path / "version.json").read_text())["id"] == version.id


def test_failing_blocking_check_keeps_the_previous_serving_copy(env: Path, warehouse: Path) -> None:
    instance = DagsterInstance.ephemeral()
    assert materialize(ALL, resources=RESOURCES, instance=instance).success
    before = current_version(env)

    add_inspection(warehouse)
    CHECK_PASSES["unique"] = False
    result = materialize(ALL, resources=RESOURCES, instance=instance, raise_on_error=False)
    assert not result.success
    assert SERVING_COPY not in materialized(result)
    assert current_version(env) == before and len(list_versions(env)) == 1


def test_failed_non_blocking_error_check_still_stops_the_publish(env: Path) -> None:
    instance = DagsterInstance.ephemeral()
    assert materialize(ALL, resources=RESOURCES, instance=instance).success
    before = current_version(env)

    CHECK_PASSES["scores"] = False
    result = materialize(ALL, resources=RESOURCES, instance=instance, raise_on_error=False)
    assert not result.success
    assert SERVING_COPY not in materialized(result) and DASHBOARD not in materialized(result)
    failure = next(e for e in result.get_step_failure_events() if e.step_key == "serving_copy")
    assert "pct_in_range" in failure.step_failure_data.user_failure_data.description
    assert current_version(env) == before


def test_unchanged_marts_publish_no_new_version_but_the_dashboard_is_rebuilt(env: Path) -> None:
    instance = DagsterInstance.ephemeral()
    assert materialize(ALL, resources=RESOURCES, instance=instance).success
    before = current_version(env)
    page = (env / "dashboard.html").stat().st_ino

    result = materialize(ALL, resources=RESOURCES, instance=instance)
    assert result.success
    assert metadata_of(result, SERVING_COPY)["published"].value is False
    assert metadata_of(result, SERVING_COPY)["version_id"].value == before.id
    assert current_version(env) == before and len(list_versions(env)) == 1
    assert (env / "dashboard.html").stat().st_ino != page  # rebuilt with every publish step


def test_serving_alone_refuses_marts_it_did_not_see_checked(env: Path, warehouse: Path) -> None:
    instance = DagsterInstance.ephemeral()
    assert materialize(ALL, resources=RESOURCES, instance=instance).success
    before = current_version(env)
    add_inspection(warehouse)
    result = materialize(
        ALL, resources=RESOURCES, instance=instance, selection=[SERVING_COPY, DASHBOARD], raise_on_error=False
    )
    assert not result.success
    failure = next(e for e in result.get_step_failure_events() if e.step_key == "serving_copy")
    assert "not built and checked in this run" in failure.step_failure_data.user_failure_data.description
    assert current_version(env) == before
