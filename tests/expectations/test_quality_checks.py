"""The Dagster asset checks wrapping the GX suites: one step, one check per suite, severities, blocking, metadata."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from dagster import AssetCheckResult, AssetCheckSeverity, AssetKey, AssetSpec, Definitions

from expectations import SUITES, is_blocking
from orchestration.assets.checks import check_key, gx_asset_checks, gx_results
from orchestration.resources import RESOURCES, DuckDBWarehouse
from tests.dbt.warehouse_fixtures import Built

pytestmark = pytest.mark.slow


def _specs() -> dict[tuple[tuple[str, ...], str], object]:
    return {(tuple(spec.asset_key.path), spec.name): spec for check in gx_asset_checks for spec in check.check_specs}


def test_one_step_with_one_check_per_suite_on_the_agreed_asset_keys() -> None:
    keys = _specs()
    assert len(gx_asset_checks) == 1  # one Dagster step: GX is imported and its context built once per run
    assert len(keys) == len(SUITES)
    assert (("raw", "reports"), "quarantine_is_empty") in keys
    assert (("raw", "standards"), "gx_rating_in_scale") in keys
    assert (("raw", "key_questions"), "gx_pct_within_0_100") in keys


def test_blocking_only_for_error_checks_on_marts() -> None:
    specs = _specs()
    for suite in SUITES:
        spec = specs[(suite.asset, suite.dagster_name)]
        assert spec.blocking == (suite.schema == "marts" and is_blocking(suite.check)), suite  # type: ignore[attr-defined]
    # The suites are on raw tables only (mart rules are dbt tests), so no GX check blocks: dbt's do.
    assert not any(spec.blocking for spec in specs.values())  # type: ignore[attr-defined]


def test_checks_load_into_definitions() -> None:
    specs = [AssetSpec(AssetKey(list(s.asset))) for s in {s.asset: s for s in SUITES}.values()]
    Definitions(assets=specs, asset_checks=gx_asset_checks, resources=RESOURCES).get_repository_def()


def test_all_suites_run_on_one_connection_each_with_its_own_result(built: Built) -> None:
    results = list(gx_results(SUITES, DuckDBWarehouse(database=str(built.warehouse))))
    assert [(r.asset_key, r.check_name) for r in results] == [
        (check_key(s).asset_key, check_key(s).name) for s in SUITES
    ]


def _run(check_key: tuple[tuple[str, ...], str], warehouse: Path, monkeypatch: pytest.MonkeyPatch) -> AssetCheckResult:
    monkeypatch.setenv("PROBATION_WAREHOUSE", str(warehouse))
    [suite] = [s for s in SUITES if (s.asset, s.dagster_name) == check_key]
    [result] = gx_results([suite], DuckDBWarehouse(database=str(warehouse)))
    return result


def test_passing_check(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    result = _run((("raw", "key_questions"), "gx_pct_within_0_100"), built.warehouse, monkeypatch)
    assert result.passed and result.severity == AssetCheckSeverity.ERROR
    assert result.metadata["row_count"].value > 0


def test_failing_error_check_reports_offending_rows(
    broken: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse = broken(
        f"update raw.key_questions set pct_yes = 140 where content_sha256 = '{'a' * 64}' "
        "and number = 1 and standard_code = '2.2'"
    )
    result = _run((("raw", "key_questions"), "gx_pct_within_0_100"), warehouse, monkeypatch)
    assert not result.passed and result.severity == AssetCheckSeverity.ERROR
    assert "140" in result.metadata["offending_rows"].value
    assert result.metadata["failed_expectations"].value == ["expect_column_values_to_be_between(pct_yes)"]


def test_quarantine_check_warns_with_file_hash_and_reason(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    result = _run((("raw", "reports"), "quarantine_is_empty"), built.warehouse, monkeypatch)
    assert not result.passed and result.severity == AssetCheckSeverity.WARN
    table = result.metadata["offending_rows"].value
    assert "youth-justice-doncaster.pdf" in table and "f" * 64 in table and "youth justice" in table
