"""The whole Dagster graph materialised into a temporary warehouse: marts hold the reports' numbers."""

from __future__ import annotations

import pytest

from tests.conftest import SAMPLE_FILES
from tests.pipeline.conftest import Project

pytestmark = pytest.mark.slow

MART_TABLES = ("inspections", "ratings", "scores", "recommendations", "findings", "pdus")


def _snapshot(project: Project) -> dict[str, list[tuple]]:
    return {t: project.query(f"SELECT * FROM marts.{t} ORDER BY ALL") for t in MART_TABLES}


def test_full_run_builds_marts_with_the_reports_values(project: Project) -> None:
    result = project.run()
    assert result.success, [e.message for e in result.all_events if e.is_failure]
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


def test_checks_run_and_pass_on_the_samples(project: Project) -> None:
    result = project.run()
    evaluations = result.get_asset_check_evaluations()
    assert len(evaluations) >= 10
    failed = [(e.asset_key.to_user_string(), e.check_name) for e in evaluations if not e.passed]
    assert failed == []
    keys = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert {"raw/reports", "staging/stg_inspections", "marts/inspections", "serving/marts"} <= keys


def test_second_run_changes_nothing(project: Project) -> None:
    assert project.run().success
    first = _snapshot(project)
    parsed_at = project.query("SELECT content_sha256, parsed_at FROM raw.reports ORDER BY 1")
    assert project.run().success
    assert _snapshot(project) == first
    assert project.query("SELECT content_sha256, parsed_at FROM raw.reports ORDER BY 1") == parsed_at


def test_broken_file_is_quarantined_visible_and_the_rest_published(project: Project) -> None:
    (project.landing / "not-a-report.txt").write_text("Minutes of the meeting.\n\nNothing to see here.\n")
    result = project.run()
    assert project.query("SELECT file_path FROM raw.quarantine") == [("not-a-report.txt",)]
    assert project.query("SELECT count(*) FROM marts.inspections") == [(3,)]
    quarantine_checks = [e for e in result.get_asset_check_evaluations() if "quarantine" in e.check_name]
    assert quarantine_checks and not quarantine_checks[0].passed


def test_changed_file_replaces_its_rows(project: Project) -> None:
    assert project.run().success
    dorset = project.landing / SAMPLE_FILES["dorset"].name
    dorset.write_text(dorset.read_text(encoding="utf-8").replace("\t57%", "\t59%"), encoding="utf-8")
    assert project.run().success
    rows = project.query(
        "SELECT pct_yes FROM marts.scores WHERE inspection_id = 'dorset-2023-08' AND standard_code = '2.1'"
    )
    assert rows == [(59,)]


def test_removed_file_keeps_its_inspection(project: Project) -> None:
    assert project.run().success
    (project.landing / SAMPLE_FILES["doncaster"].name).unlink()
    assert project.run().success
    assert project.query("SELECT count(*) FROM marts.inspections WHERE pdu_name = 'Doncaster'") == [(1,)]
