"""The Dagster asset checks wrapping the GX suites: one step, one check per suite on its mart, severities,
blocking, metadata, and the cross-version checks gating the publish in a real Dagster run."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from dagster import AssetCheckSeverity, AssetKey, AssetSpec, Definitions, MaterializeResult, materialize, multi_asset

from expectations import NO_PUBLISHED_VERSION, SUITES, is_blocking
from orchestration.assets.checks import check_result, gx_asset_checks, gx_results, pending_data_docs
from orchestration.assets.serving import MART_KEYS, SERVING_COPY, serving_copy
from orchestration.resources import RESOURCES, DuckDBWarehouse
from serving.publish import DATA_DOCS, MART_TABLES, current_version, publish
from tests.dbt.warehouse_fixtures import Built

pytestmark = pytest.mark.slow


def _specs() -> dict[tuple[tuple[str, ...], str], object]:
    return {(tuple(spec.asset_key.path), spec.name): spec for check in gx_asset_checks for spec in check.check_specs}


def test_one_step_with_one_check_per_suite_on_the_mart_it_guards() -> None:
    keys = _specs()
    assert len(gx_asset_checks) == 1  # one Dagster step: GX is imported and its context built once per run
    assert len(keys) == len(SUITES)
    assert (("raw", "reports"), "quarantine_is_empty") in keys
    assert (("marts", "scores"), "gx_pct_within_0_100") in keys
    assert (("marts", "inspections"), "gx_no_published_inspection_lost") in keys
    assert {suite.schema for suite in SUITES} == {"marts", "raw"}


def test_error_checks_on_marts_block_and_warnings_do_not() -> None:
    specs = _specs()
    for suite in SUITES:
        spec = specs[(suite.asset, suite.dagster_name)]
        assert spec.blocking == (suite.schema == "marts" and is_blocking(suite.check)), suite  # type: ignore[attr-defined]
    assert specs[(("marts", "inspections"), "gx_no_published_inspection_lost")].blocking  # type: ignore[attr-defined]
    assert not specs[(("marts", "inspections"), "gx_row_counts_within_bounds")].blocking  # type: ignore[attr-defined]


def test_checks_load_into_definitions() -> None:
    specs = [AssetSpec(AssetKey(list(s.asset))) for s in {s.asset: s for s in SUITES}.values()]
    Definitions(assets=specs, asset_checks=gx_asset_checks, resources=RESOURCES).get_repository_def()


def _results(warehouse: Path, monkeypatch: pytest.MonkeyPatch, *names: str) -> dict[str, object]:
    monkeypatch.setenv("PROBATION_WAREHOUSE", str(warehouse))
    suites = [s for s in SUITES if s.dagster_name in names and s.table == "inspections"]
    results = gx_results(suites, DuckDBWarehouse(database=str(warehouse)))
    return {s.dagster_name: check_result(s, r) for s, r in zip(suites, results, strict=True)}


def test_failing_check_reports_offending_rows_and_severity(
    broken: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse = broken("update marts.inspections set score_pct = 140 where inspection_id = 'dorset-2023-08'")
    result = _results(warehouse, monkeypatch, "gx_pct_within_0_100")["gx_pct_within_0_100"]
    assert not result.passed and result.severity == AssetCheckSeverity.ERROR  # type: ignore[attr-defined]
    assert "140" in result.metadata["offending_rows"].value  # type: ignore[attr-defined]
    assert result.metadata["failed_expectations"].value == ["expect_column_values_to_be_between(score_pct)"]  # type: ignore[attr-defined]


def test_cross_version_checks_say_there_is_nothing_to_compare(
    built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse = built.copy(tmp_path / "warehouse")  # a serving dir with no version yet
    result = _results(warehouse, monkeypatch, "gx_no_published_inspection_lost")["gx_no_published_inspection_lost"]
    assert result.passed and result.description == NO_PUBLISHED_VERSION  # type: ignore[attr-defined]
    assert result.metadata["note"].value == NO_PUBLISHED_VERSION  # type: ignore[attr-defined]


@multi_asset(specs=[AssetSpec(key) for key in MART_KEYS])
def marts_as_built():
    """The marts as the warehouse holds them (dbt's part is not under test here)."""
    for key in MART_KEYS:
        yield MaterializeResult(asset_key=key)


def _refresh(warehouse: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PROBATION_WAREHOUSE", str(warehouse))
    return materialize([marts_as_built, serving_copy, *gx_asset_checks], resources=RESOURCES, raise_on_error=False)


def test_a_lost_inspection_blocks_the_publish_in_a_dagster_run(
    built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse = built.copy(tmp_path / "warehouse")
    first = publish(warehouse, warehouse.parent, MART_TABLES, [])
    with duckdb.connect(str(warehouse)) as con:
        con.execute("delete from marts.inspections where inspection_id = 'dorset-2023-08'")
    result = _refresh(warehouse, monkeypatch)
    [lost] = [e for e in result.get_asset_check_evaluations() if e.check_name == "gx_no_published_inspection_lost"]
    assert not lost.passed and "dorset-2023-08" in lost.metadata["offending_rows"].value
    assert SERVING_COPY not in {e.asset_key for e in result.get_asset_materialization_events()}
    assert current_version(warehouse.parent).id == first.id  # BI users still read the version with Dorset

    # Forgotten on purpose (`inspections forget`): the publish goes ahead, with this validation's Data Docs.
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "create table if not exists raw.forgotten_inspections (inspection_id varchar, forgotten_at timestamp, reason varchar)"
        )
        con.execute("insert into raw.forgotten_inspections values ('dorset-2023-08', now(), 'withdrawn')")
    result = _refresh(warehouse, monkeypatch)
    assert SERVING_COPY in {e.asset_key for e in result.get_asset_materialization_events()}
    version = current_version(warehouse.parent)
    assert version.id != first.id and version.row_counts["inspections"] == 2
    assert (version.path / DATA_DOCS / "index.html").is_file()
    assert pending_data_docs().is_dir()
