"""Unchanged dbt seeds are not reloaded by a refresh, and everything a seed change needs still happens.

The whole Dagster graph runs on a warehouse of its own, with dbt reading a copy of the dbt project so that a
seed can be edited (orchestration/seed_state.py, docs/dbt.md "Unchanged seeds").
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from dagster import AssetCheckKey, AssetKey, DagsterEventType, ExecuteInProcessResult, materialize

from config.settings import DBT_PROJECT_DIR
from orchestration.check_history import latest_finished
from orchestration.resources import DbtInProcess
from orchestration.unchanged import CARRIED_OVER_KEY
from tests.conftest import SAMPLE_FILES
from tests.pipeline.conftest import Project

pytestmark = pytest.mark.slow

SEEDS = (
    "framework_standards",
    "key_question_themes",
    "pdu_aliases",
    "pdu_directory",
    "rating_scale",
    "recommendation_theme_patterns",
    "regions",
    "standard_keys",
)
EDITED_SEED = "recommendation_theme_patterns"
# A test between a mart and a seed: it must run whenever the mart is rebuilt, the seed unchanged or not.
MART_TO_SEED = AssetCheckKey(AssetKey(["marts", "ratings"]), "relationships_ratings_rating__rating__ref_rating_scale_")
# A test of a raw table (the raw tables changed): it runs as before.
SOURCE_TEST = AssetCheckKey(AssetKey(["raw", "reports"]), "source_unique_raw_reports_content_sha256")
# Tests reading seeds only: left out with their seeds, their last result carried over.
SEED_ONLY = [
    AssetCheckKey(AssetKey(["reference", "rating_scale"]), "unique_rating_scale_rating"),
    AssetCheckKey(
        AssetKey(["reference", "pdu_aliases"]),
        "relationships_pdu_aliases_pdu_name__pdu_name__ref_pdu_directory_",
    ),
]
MARTS = ("inspections", "ratings", "scores", "recommendations", "findings", "pdus", "recommendation_themes")


@dataclass
class Refreshes:
    project: Project
    dbt_dir: Path

    def dbt(self) -> DbtInProcess:
        return DbtInProcess(project_dir=str(self.dbt_dir), profiles_dir=str(self.dbt_dir))

    def run(self, run_config: dict | None = None, *, succeeds: bool = True) -> ExecuteInProcessResult:
        from orchestration.definitions import REFRESH_JOB_NAME, defs

        result = defs.resolve_job_def(REFRESH_JOB_NAME).execute_in_process(
            run_config=run_config, instance=self.project.instance, resources={"dbt": self.dbt()}, raise_on_error=False
        )
        assert result.success == succeeds, [e.message for e in result.all_events if e.is_failure]
        return result

    def change_a_report(self, old: str, new: str) -> None:
        """A new version of one report: the refresh then builds (nothing new would stop it after the raw tables)."""
        dorset = self.project.landing / SAMPLE_FILES["dorset"].name
        text = dorset.read_text(encoding="utf-8")
        assert old in text
        dorset.write_text(text.replace(old, new), encoding="utf-8")

    def marts(self) -> dict[str, list[tuple]]:
        return {t: self.project.query(f"SELECT * FROM marts.{t} ORDER BY ALL") for t in MARTS}


def loaded_seeds(result: ExecuteInProcessResult) -> set[str]:
    return {
        e.asset_key.path[-1] for e in result.get_asset_materialization_events() if e.asset_key.path[0] == "reference"
    }


def unchanged_seeds(result: ExecuteInProcessResult) -> set[str]:
    observed = [e for e in result.all_events if e.event_type == DagsterEventType.ASSET_OBSERVATION]
    return {
        e.asset_key.path[-1]
        for e in observed
        if e.asset_key.path[0] == "reference"
        and "not reloaded" in e.asset_observation_data.asset_observation.description
    }


def checks_run(result: ExecuteInProcessResult) -> set[AssetCheckKey]:
    return {AssetCheckKey(e.asset_key, e.check_name) for e in result.get_asset_check_evaluations()}


def dbt_summary(refreshes: Refreshes, result: ExecuteInProcessResult) -> str:
    logs = refreshes.project.instance.all_logs(result.run_id)
    [line] = [e.user_message for e in logs if e.user_message.startswith("dbt build: ")]
    return line


@pytest.fixture(scope="module")
def refreshes(module_project: Project, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Refreshes]:
    copy = tmp_path_factory.mktemp("dbt") / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, copy, ignore=shutil.ignore_patterns("target", "logs"))
    refreshes = Refreshes(module_project, copy)
    first = refreshes.run()
    assert loaded_seeds(first) == set(SEEDS) and not unchanged_seeds(first)
    yield refreshes


def test_unchanged_seeds_are_left_out_and_their_checks_keep_their_last_result(refreshes: Refreshes) -> None:
    refreshes.change_a_report("\t57%", "\t59%")
    result = refreshes.run()
    assert loaded_seeds(result) == set()
    assert unchanged_seeds(result) == set(SEEDS)
    ran = checks_run(result)
    assert {MART_TO_SEED, SOURCE_TEST} <= ran  # the mart and the raw tables changed: their tests ran
    assert not ran & set(SEED_ONLY)
    for key in SEED_ONLY:
        record = latest_finished(refreshes.project.instance, key)
        assert record is not None and record.evaluation.passed
        assert "seeds it reads are unchanged" in record.evaluation.metadata[CARRIED_OVER_KEY].value
    # Every dbt check either ran or shows its carried-over result: none is left without a result.
    from orchestration.assets.dbt import dbt_models

    for key in dbt_models.check_keys:
        record = latest_finished(refreshes.project.instance, key)
        carried = CARRIED_OVER_KEY in record.evaluation.metadata
        assert (key in ran) != carried, key
        # The checks on seeds here read seeds only (a seed's relationships point to another seed).
        assert carried == (key.asset_key.path[0] == "reference"), key
    summary = dbt_summary(refreshes, result)
    assert "; 8 seeds unchanged (not reloaded;" in summary
    assert "seed " not in summary.split(";")[0]  # no seed node ran
    assert refreshes.project.query(
        "SELECT pct_yes FROM marts.scores WHERE inspection_id = 'dorset-2023-08' AND standard_code = '2.1'"
    ) == [(59,)]


def test_an_edited_seed_is_reloaded_and_the_marts_follow_it(refreshes: Refreshes) -> None:
    csv = refreshes.dbt_dir / "seeds" / f"{EDITED_SEED}.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("Risk of harm,", "Risk of serious harm,"), encoding="utf-8")
    refreshes.change_a_report("\t59%", "\t61%")
    result = refreshes.run()
    assert loaded_seeds(result) == {EDITED_SEED}
    assert unchanged_seeds(result) == set(SEEDS) - {EDITED_SEED}
    labels = refreshes.project.query(
        "SELECT DISTINCT theme_label FROM marts.recommendation_themes WHERE theme = 'risk_of_harm'"
    )
    assert labels == [("Risk of serious harm",)]
    assert AssetCheckKey(AssetKey(["reference", EDITED_SEED]), f"not_null_{EDITED_SEED}_theme") in checks_run(result)


def test_a_dropped_seed_table_is_reloaded(refreshes: Refreshes) -> None:
    import duckdb

    with duckdb.connect(str(refreshes.project.warehouse)) as con:
        con.execute("DROP TABLE reference.regions")
    refreshes.change_a_report("\t61%", "\t63%")
    result = refreshes.run()
    assert loaded_seeds(result) == {"regions"}
    assert refreshes.project.query("SELECT count(*) FROM reference.regions") == [(12,)]


def test_a_seed_loaded_outside_the_pipeline_is_reloaded(refreshes: Refreshes) -> None:
    from dbt.cli.main import dbtRunner

    from orchestration.dbt_inprocess import release_warehouse

    project = ["--project-dir", str(refreshes.dbt_dir), "--profiles-dir", str(refreshes.dbt_dir)]
    try:
        assert dbtRunner().invoke(["seed", "--select", "regions", "--quiet", *project]).success
    finally:
        release_warehouse()
    # Its post-hook forgot the seed's state: whatever that load held, the pipeline does not trust it.
    assert refreshes.project.query("SELECT count(*) FROM intermediate.seed_state WHERE seed LIKE '%.regions'") == [(0,)]
    refreshes.change_a_report("\t63%", "\t64%")
    assert loaded_seeds(refreshes.run()) == {"regions"}


def test_a_failing_seed_test_is_run_again_until_the_seed_is_fixed(refreshes: Refreshes) -> None:
    csv = refreshes.dbt_dir / "seeds" / "regions.csv"
    good = csv.read_text(encoding="utf-8")
    csv.write_text(good + "East Midlands\n", encoding="utf-8")  # a duplicate: unique_regions_region fails
    unique = AssetCheckKey(AssetKey(["reference", "regions"]), "unique_regions_region")
    for old, new in (("\t64%", "\t66%"), ("\t66%", "\t67%")):
        refreshes.change_a_report(old, new)
        failed = refreshes.run(succeeds=False)
        assert "regions" in loaded_seeds(failed)  # never left out: its test did not pass when it was loaded
        assert [e.passed for e in failed.get_asset_check_evaluations() if e.check_name == unique.name] == [False]
    csv.write_text(good, encoding="utf-8")
    refreshes.change_a_report("\t67%", "\t63%")
    fixed = refreshes.run()
    assert loaded_seeds(fixed) == {"regions"} and unique in checks_run(fixed)


def test_a_seed_selected_alone_is_loaded(refreshes: Refreshes) -> None:
    from orchestration.assets.dbt import dbt_models
    from orchestration.resources import warehouse_resource

    result = materialize(
        [dbt_models],
        selection=[AssetKey(["reference", "rating_scale"])],
        instance=refreshes.project.instance,
        resources={"dbt": refreshes.dbt(), "warehouse": warehouse_resource()},
    )
    assert result.success
    assert loaded_seeds(result) == {"rating_scale"} and not unchanged_seeds(result)


def test_full_refresh_reloads_every_seed_and_the_marts_equal_a_full_rebuild(refreshes: Refreshes) -> None:
    refreshes.change_a_report("\t63%", "\t65%")
    incremental = refreshes.run()
    assert loaded_seeds(incremental) == set()
    marts = refreshes.marts()
    # rebuild_all's config on refresh_all: the rebuild_all job run with a resource override still built the
    # repository's dbt project, not the copy.
    rebuilt = refreshes.run(
        {"ops": {"raw_tables": {"config": {"force": True}}, "dbt_models": {"config": {"full_refresh": True}}}}
    )
    assert loaded_seeds(rebuilt) == set(SEEDS) and not unchanged_seeds(rebuilt)
    after = refreshes.marts()
    differences = {t: (set(marts[t]) ^ set(after[t])) for t in MARTS if marts[t] != after[t]}
    assert differences == {}
