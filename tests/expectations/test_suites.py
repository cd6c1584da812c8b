"""Each GX suite passes on the clean sample and fails, naming the offending rows, on a broken copy."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from expectations import SUITES, Suite, SuiteResult, run_suite, validate_frame
from expectations.runner import MAX_OFFENDING_ROWS
from tests.dbt.warehouse_fixtures import Built

pytestmark = pytest.mark.slow
DORSET = "'dorset-2023-08'"
PORTSMOUTH = "'portsmouth-and-the-isle-of-wight-2023-07'"


def suite(schema: str, table: str, check: str) -> Suite:
    [found] = [s for s in SUITES if (s.schema, s.table, s.check) == (schema, table, check)]
    return found


def run(warehouse: Path, s: Suite) -> SuiteResult:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return run_suite(s, con)


@pytest.mark.parametrize("s", [s for s in SUITES if s.check != "quarantine_is_empty"], ids=lambda s: s.dagster_name
                         + "@" + s.table)
def test_happy_path_passes(built: Built, s: Suite) -> None:
    result = run(built.warehouse, s)
    assert result.success, (result.failed_expectations, result.offending_rows)
    assert result.row_count > 0 and result.offending_rows == []


# (schema, table, check) -> (corruption, a key the offending rows must show: column -> value)
CASES: dict[tuple[str, str, str], tuple[list[str], dict[str, object]]] = {
    ("raw", "key_questions", "pct_within_0_100"): (
        [f"update raw.key_questions set pct_yes = 140 where content_sha256 = '{'a' * 64}' and number = 1 "
         "and standard_code = '2.2'"],
        {"pct_yes": 140, "standard_code": "2.2"},
    ),
    ("raw", "standards", "rating_in_scale"): (
        [f"update raw.standards set rating = 'Excellent' where content_sha256 = '{'b' * 64}' and code = '1.4'"],
        {"rating": "Excellent", "code": "1.4"},
    ),
    ("marts", "scores", "pct_within_0_100"): (
        [f"update marts.scores set pct_yes = 140 where inspection_id = {DORSET} and standard_code = '2.3' "
         "and question_number = 2"],
        {"pct_yes": 140, "inspection_id": "dorset-2023-08"},
    ),
    ("marts", "ratings", "at_most_10_rated_standards"): (
        [f"insert into marts.ratings select r.* replace ('3.' || t.i as standard_code) "
         f"from marts.ratings as r, range(2) as t(i) where r.inspection_id = {DORSET} and r.standard_code = '1.1'"],
        {"inspection_id": "dorset-2023-08", "n_rated": 11},
    ),
    ("marts", "ratings", "rating_in_scale"): (
        [f"update marts.ratings set rating = 'Satisfactory' where inspection_id = {DORSET} and standard_code = '1.2'"],
        {"rating": "Satisfactory", "standard_code": "1.2"},
    ),
    ("marts", "ratings", "band_rating_matches_published_rating"): (
        [f"update marts.ratings set discretion_applied = false where inspection_id = {PORTSMOUTH} "
         "and standard_code = '2.1'"],
        {"standard_code": "2.1", "band_rating": "Inadequate"},
    ),
    ("marts", "inspections", "inspection_id_unique"): (
        [f"insert into marts.inspections select * from marts.inspections where inspection_id = {DORSET}"],
        {"inspection_id": "dorset-2023-08"},
    ),
    ("marts", "inspections", "score_equals_sum_of_points"): (
        [f"update marts.inspections set score = 5 where inspection_id = {DORSET}"],
        {"inspection_id": "dorset-2023-08", "score": 5, "points_total": 3},
    ),
    ("marts", "inspections", "max_score_is_3x_rated"): (
        [f"delete from marts.ratings where inspection_id = {DORSET} and standard_code = '1.1'"],
        {"inspection_id": "dorset-2023-08", "max_score": 27, "expected_max_score": 24},
    ),
    ("marts", "inspections", "overall_rating_matches_score_band"): (
        [f"update marts.inspections set overall_rating = 'Good' where inspection_id = {PORTSMOUTH}"],
        {"overall_rating": "Good", "score_band_rating": "Requires improvement"},
    ),
    ("marts", "recommendations", "recommendation_numbers_contiguous"): (
        [f"delete from marts.recommendations where inspection_id = {DORSET} and rec_number = 5"],
        {"inspection_id": "dorset-2023-08", "rec_number": 6, "expected_number": 5},
    ),
}


def test_every_suite_has_a_corruption_case() -> None:
    assert {(s.schema, s.table, s.check) for s in SUITES} - {("raw", "reports", "quarantine_is_empty")} == set(CASES)


@pytest.mark.parametrize("key", sorted(CASES), ids=lambda k: ".".join(k))
def test_broken_table_fails_with_offending_row(broken: Callable[..., Path], key: tuple[str, str, str]) -> None:
    statements, offending = CASES[key]
    result = run(broken(*statements), suite(*key))
    assert result.success is False
    assert result.failed_expectations
    assert any(offending.items() <= row.items() for row in result.offending_rows), result.offending_rows
    assert str(next(iter(offending.values()))) in result.offending_markdown()


def test_severity_follows_policy(broken: Callable[..., Path]) -> None:
    warn = run(broken(f"update marts.inspections set overall_rating = 'Good' where inspection_id = {PORTSMOUTH}"),
               suite("marts", "inspections", "overall_rating_matches_score_band"))
    error = run(broken(f"update marts.inspections set score = 5 where inspection_id = {DORSET}"),
                suite("marts", "inspections", "score_equals_sum_of_points"))
    assert (warn.severity, error.severity) == ("warn", "error")


def test_quarantine_lists_files(built: Built, broken: Callable[..., Path]) -> None:
    result = run(built.warehouse, suite("raw", "reports", "quarantine_is_empty"))
    assert (result.success, result.severity) == (False, "warn")
    assert result.offending_rows[0]["file_path"] == "youth-justice-doncaster.pdf"
    assert {"file_path", "content_sha256", "reason"} <= result.offending_rows[0].keys()
    cleared = broken("update raw.report_files set present = false where status = 'quarantined'")
    assert run(cleared, suite("raw", "reports", "quarantine_is_empty")).success


def test_duplicate_recommendation_number_is_caught(broken: Callable[..., Path]) -> None:
    warehouse = broken(f"update marts.recommendations set rec_number = 4 where inspection_id = {DORSET} "
                       "and rec_number = 5")
    result = run(warehouse, suite("marts", "recommendations", "recommendation_numbers_contiguous"))
    assert not result.success and result.offending_count >= 1


def test_offending_rows_are_capped() -> None:
    frame = pd.DataFrame({"content_sha256": ["x"] * 50, "standard_code": ["2.2"] * 50, "number": range(50),
                          "pct_yes": [150] * 50})
    result = validate_frame(suite("raw", "key_questions", "pct_within_0_100"), frame)
    assert (result.success, result.offending_count, len(result.offending_rows)) == (False, 50, MAX_OFFENDING_ROWS)
    assert "30 more rows" in result.offending_markdown()
