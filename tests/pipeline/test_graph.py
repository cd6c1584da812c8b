"""The whole Dagster graph materialised into a temporary warehouse: marts hold the reports' numbers."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from dagster import ExecuteInProcessResult

from cli.run import summarise
from tests.conftest import SAMPLE_FILES
from tests.pipeline.conftest import Project

pytestmark = pytest.mark.slow

MART_TABLES = ("inspections", "ratings", "scores", "recommendations", "findings", "pdus")


def _snapshot(project: Project) -> dict[str, list[tuple]]:
    return {t: project.query(f"SELECT * FROM marts.{t} ORDER BY ALL") for t in MART_TABLES}


@dataclass
class TwoRuns:
    project: Project
    first: ExecuteInProcessResult
    first_marts: dict[str, list[tuple]]
    first_parses: list[tuple]
    second: ExecuteInProcessResult


@pytest.fixture(scope="module")
def two_runs(module_project: Project) -> TwoRuns:
    """The sample reports built twice in a row, nothing changed in between."""
    first = module_project.run()
    marts = _snapshot(module_project)
    parses = module_project.query("SELECT content_sha256, parsed_at FROM raw.reports ORDER BY 1")
    return TwoRuns(module_project, first, marts, parses, module_project.run())


def test_full_run_builds_marts_with_the_reports_values(two_runs: TwoRuns) -> None:
    project = two_runs.project
    assert two_runs.first.success, [e.message for e in two_runs.first.all_events if e.is_failure]
    inspections = project.query(
        "SELECT inspection_id, pdu_name, region, CAST(published_month AS VARCHAR), CAST(fieldwork_start_date AS VARCHAR),"
        " framework, overall_rating, score, max_score, n_standards_rated, cases_inspected, interviews, source_format"
        " FROM marts.inspections ORDER BY inspection_id"
    )
    assert inspections == [
        ("doncaster-2024-10", "Doncaster", "Yorkshire and the Humber", "2024-10-01", "2024-07-08", "pdu-2024",
         "Inadequate", 3, 21, 7, 41, 37, "text"),
        ("dorset-2023-08", "Dorset", "South West", "2023-08-01", "2023-06-12", "pdu-2023",
         "Inadequate", 3, 27, 9, 45, 30, "text"),
        ("portsmouth-and-the-isle-of-wight-2023-07", "Portsmouth and the Isle of Wight", "South Central", "2023-07-01",
         "2023-05-22", "pdu-2023", "Requires improvement", 6, 27, 9, 41, 35, "text"),
    ]  # fmt: skip
    court = project.query(
        "SELECT rating, rating_points, lowest_pct_yes, band_rating, discretion_applied FROM marts.ratings"
        " WHERE inspection_id = 'portsmouth-and-the-isle-of-wight-2023-07' AND standard_code = '2.1'"
    )
    assert court == [("Requires improvement", 1, 48, "Inadequate", True)]
    outcomes = project.query(
        "SELECT inspection_id, pct_yes FROM marts.scores WHERE NOT is_rated_standard ORDER BY inspection_id"
    )
    assert outcomes == [("dorset-2023-08", 38), ("portsmouth-and-the-isle-of-wight-2023-07", 46)]
    assert project.query("SELECT count(*) FROM marts.scores WHERE is_rated_standard") == [(13 + 13 + 12,)]
    levels = project.query(
        "SELECT recipient_level, count(*) FROM marts.recommendations WHERE inspection_id = 'dorset-2023-08'"
        " GROUP BY ALL ORDER BY 1"
    )
    assert levels == [("HMPPS", 1), ("PDU", 8), ("Region", 4)]
    assert project.query("SELECT count(*) FROM marts.pdus") == [(3,)]


def test_checks_run_and_pass_and_the_serving_copy_is_published(two_runs: TwoRuns) -> None:
    evaluations = two_runs.first.get_asset_check_evaluations()
    assert len(evaluations) >= 10
    assert [(e.asset_key.to_user_string(), e.check_name) for e in evaluations if not e.passed] == []
    keys = {e.asset_key.to_user_string() for e in two_runs.first.get_asset_materialization_events()}
    layers = {"raw/reports", "staging/stg_reports", "intermediate/int_current_inspections", "marts/inspections"}
    assert layers | {"serving/marts", "serving/dashboard"} <= keys
    serving = two_runs.project.warehouse.parent
    assert (serving / "marts.duckdb").exists() and (serving / "parquet" / "inspections.parquet").exists()
    # The GX suites guard the marts before the publish, and the version carries their Data Docs.
    assert ("marts/inspections", "gx_no_published_inspection_lost") in {
        (e.asset_key.to_user_string(), e.check_name) for e in evaluations
    }
    assert (serving / "current" / "data_docs" / "index.html").is_file()


def _serving_metadata(result: ExecuteInProcessResult) -> dict:
    (event,) = [e for e in result.get_asset_materialization_events() if e.asset_key.to_user_string() == "serving/marts"]
    return {key: value.value for key, value in event.materialization.metadata.items()}


def test_second_run_changes_nothing_and_publishes_no_new_version(two_runs: TwoRuns) -> None:
    # A launched run always builds (only `inspections run` skips the run when nothing changed); identical marts
    # are not published again, and the dashboard is still rebuilt.
    assert two_runs.second.success
    assert _snapshot(two_runs.project) == two_runs.first_marts
    parses = two_runs.project.query("SELECT content_sha256, parsed_at FROM raw.reports ORDER BY 1")
    assert parses == two_runs.first_parses  # unchanged files were not parsed again
    first, second = _serving_metadata(two_runs.first), _serving_metadata(two_runs.second)
    assert first["published"] is True and second["published"] is False
    assert second["version_id"] == first["version_id"]
    assert len(list((two_runs.project.warehouse.parent / "versions").iterdir())) == 1
    built = {e.asset_key.to_user_string() for e in two_runs.second.get_asset_materialization_events()}
    assert "serving/dashboard" in built
    assert "nothing published" in "\n".join(summarise(two_runs.second).lines())


def test_forced_refresh_rebuilds_identical_marts_and_publishes(two_runs: TwoRuns) -> None:
    from orchestration.definitions import REBUILD_JOB_NAME, defs

    forced = defs.resolve_job_def(REBUILD_JOB_NAME).execute_in_process(instance=two_runs.project.instance)
    built = {e.asset_key.to_user_string() for e in forced.get_asset_materialization_events()}
    assert {"marts/inspections", "serving/marts"} <= built
    assert _serving_metadata(forced)["published"] is True
    assert _snapshot(two_runs.project) == two_runs.first_marts


def test_changed_removed_and_broken_files(project: Project) -> None:
    assert project.run().success
    dorset = project.landing / SAMPLE_FILES["dorset"].name
    dorset.write_text(dorset.read_text(encoding="utf-8").replace("\t57%", "\t59%"), encoding="utf-8")
    (project.landing / SAMPLE_FILES["doncaster"].name).unlink()
    (project.landing / "not-a-report.txt").write_text("Minutes of the meeting.\n\nNothing to see here.\n")
    result = project.run()
    # The changed file replaces its rows.
    changed = project.query(
        "SELECT pct_yes FROM marts.scores WHERE inspection_id = 'dorset-2023-08' AND standard_code = '2.1'"
    )
    assert changed == [(59,)]
    # The removed file keeps its inspection.
    assert project.query("SELECT count(*) FROM marts.inspections WHERE pdu_name = 'Doncaster'") == [(1,)]
    # The broken file is quarantined and visible as a failed (warning) check; the rest is published.
    assert project.query("SELECT file_path FROM raw.quarantine") == [("not-a-report.txt",)]
    assert project.query("SELECT count(*) FROM marts.inspections") == [(3,)]
    quarantine = [e for e in result.get_asset_check_evaluations() if e.check_name == "quarantine_is_empty"]
    assert len(quarantine) == 1 and not quarantine[0].passed
    assert "serving/marts" in {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    # `make run`'s summary counts from the same rows as the check and the mart, and shows the warning apart.
    lines = summarise(result).lines()
    assert "quarantined files: 1" in lines
    assert "  warning (does not block the publish): raw/reports:quarantine_is_empty" in lines
    assert any(line.startswith("checks run: blocking ") and "(1 failed warning)" in line for line in lines)


def test_mixed_formats_land_in_the_same_marts(project: Project) -> None:
    from tests.extract.builders import build_reportlab_pdf, build_site_html, seed_document
    from tests.parse.variants import tabs_to_pipes

    for path in list(project.landing.iterdir()):
        path.unlink()
    dorset, portsmouth, doncaster = (SAMPLE_FILES[n] for n in ("dorset", "portsmouth", "doncaster"))
    (project.landing / "dorset.pdf").write_bytes(build_reportlab_pdf(seed_document(dorset)))
    (project.landing / "portsmouth.html").write_text(build_site_html(seed_document(portsmouth)), encoding="utf-8")
    (project.landing / "portsmouth.md").write_text(tabs_to_pipes(portsmouth.read_text(encoding="utf-8")))
    (project.landing / "doncaster.txt").write_bytes(doncaster.read_bytes())
    result = project.run()
    assert result.success
    assert project.query("SELECT file_path FROM raw.quarantine") == []
    rows = project.query("SELECT inspection_id, score, max_score FROM marts.inspections ORDER BY 1")
    # Portsmouth in two formats is one inspection.
    assert rows == [
        ("doncaster-2024-10", 3, 21),
        ("dorset-2023-08", 3, 27),
        ("portsmouth-and-the-isle-of-wight-2023-07", 6, 27),
    ]
    formats = project.query("SELECT source_format, count(*) FROM raw.reports GROUP BY ALL ORDER BY 1")
    assert formats == [("html", 1), ("markdown", 1), ("pdf", 1), ("text", 1)]
    assert project.query("SELECT count(*) FROM marts.ratings") == [(25,)]
    assert project.query("SELECT count(*) FROM marts.scores") == [(40,)]
