"""Each GX suite passes on the clean sample and fails, naming the offending rows, on marts broken its way."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from expectations import NO_PUBLISHED_VERSION, SUITES, Suite, SuiteResult, run_suite, validate_frame
from expectations.runner import MAX_OFFENDING_ROWS
from expectations.suites import NOT_A_PERCENTAGE, PCT_COLUMNS, SHARE_COLUMNS
from tests.dbt.warehouse_fixtures import Built

pytestmark = pytest.mark.slow

DORSET = "'dorset-2023-08'"


def suite(table: str, check: str) -> Suite:
    [found] = [s for s in SUITES if (s.table, s.check) == (table, check)]
    return found


def run(warehouse: Path, s: Suite, published: Path | None = None) -> SuiteResult:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return run_suite(s, con, published)


@pytest.mark.parametrize("s", [s for s in SUITES if s.check != "quarantine_is_empty"], ids=lambda s: s.name)
def test_happy_path_passes(built: Built, published: Path, s: Suite) -> None:
    result = run(built.warehouse, s, published)
    assert result.success, (result.failed_expectations, result.offending_rows)
    assert result.row_count > 0 and result.offending_rows == [] and result.note is None


@pytest.mark.parametrize("s", [s for s in SUITES if s.compares_published], ids=lambda s: s.name)
def test_cross_version_suites_pass_without_a_published_version(built: Built, tmp_path: Path, s: Suite) -> None:
    for published in (None, tmp_path / "current" / "marts.duckdb"):  # never published: no `current` yet
        result = run(built.warehouse, s, published)
        assert (result.success, result.note, result.expectations) == (True, NO_PUBLISHED_VERSION, [])


def _pct_case(table: str) -> tuple[list[str], dict[str, object]]:
    column = PCT_COLUMNS[table][1][0]
    return [f"update marts.{table} set {column} = 140 where rowid = (select min(rowid) from marts.{table})"], {
        column: 140
    }


# (table, check, case) -> (corruption of the marts, a key the offending rows must show: column -> value)
CASES: dict[tuple[str, str, str], tuple[list[str], dict[str, object]]] = {
    **{(table, "pct_within_0_100", "140%"): _pct_case(table) for table in PCT_COLUMNS},
    ("inspections", "rated_standards_match_framework", "a rated standard missing"): (
        [f"delete from marts.ratings where inspection_id = {DORSET} and standard_code = '1.1'"],
        {"inspection_id": "dorset-2023-08", "ratings_rows": 8, "framework_rated": 9},
    ),
    ("inspections", "rated_standards_match_framework", "eleven rated standards"): (
        [
            "create temp table twice as select * from marts.ratings where inspection_id = 'dorset-2023-08' limit 2",
            "insert into marts.ratings select * from twice",
        ],
        {"inspection_id": "dorset-2023-08", "ratings_rows": 11},
    ),
    ("inspections", "score_equals_sum_of_points", "score not the sum"): (
        [f"update marts.inspections set score = 4 where inspection_id = {DORSET}"],
        {"inspection_id": "dorset-2023-08", "score": 4, "points_total": 3},
    ),
    ("inspections", "score_equals_sum_of_points", "score above max"): (
        [
            f"update marts.ratings set rating_points = 4 where inspection_id = {DORSET}",
            f"update marts.inspections set score = 36 where inspection_id = {DORSET}",
        ],
        {"inspection_id": "dorset-2023-08", "score": 36, "max_score": 27},
    ),
    ("inspections", "score_equals_sum_of_points", "max not 3 x rated"): (
        [f"update marts.inspections set max_score = 30 where inspection_id = {DORSET}"],
        {"inspection_id": "dorset-2023-08", "max_score": 30, "three_x_rated": 27},
    ),
    ("inspections", "one_overall_rating_per_inspection", "two ratings"): (
        [f"update marts.latest_inspections set overall_rating = 'Good' where inspection_id = {DORSET}"],
        {
            "inspection_id": "dorset-2023-08",
            "conflicting_ratings": "inspections: Inadequate; latest_inspections: Good; pdu_history: Inadequate",
        },
    ),
    **{
        (table, "shares_sum_to_100", "120%"): (
            [f"update marts.{table} set {SHARE_COLUMNS[0]} = {SHARE_COLUMNS[0]} + 0.2 where rowid = 0"],
            {"shares_total_pct": 120.0},
        )
        for table in ("region_summary", "national_trend")
    },
    ("recommendations", "recommendation_numbers_contiguous", "a gap"): (
        [f"update marts.recommendations set rec_number = 14 where inspection_id = {DORSET} and rec_number = 2"],
        {"inspection_id": "dorset-2023-08", "numbers_not_1_to_n": "1,3,4,5,6,7,8,9,10,11,12,13,14"},
    ),
    ("inspections", "no_published_inspection_lost", "an inspection gone"): (
        [f"delete from marts.inspections where inspection_id = {DORSET}"],
        {"lost_inspection_id": "dorset-2023-08"},
    ),
    ("inspections", "unchanged_report_unchanged_values", "same file, other score"): (
        [f"update marts.inspections set score = score + 1 where inspection_id = {DORSET}"],
        {"inspection_id": "dorset-2023-08", "changed_values": "score: 3 -> 4"},
    ),
    ("inspections", "unchanged_report_unchanged_values", "same file, other rating"): (
        [f"update marts.ratings set rating = 'Good' where inspection_id = {DORSET} and standard_code = '1.1'"],
        {"inspection_id": "dorset-2023-08"},
    ),
    ("inspections", "row_counts_within_bounds", "half the scores gone"): (
        ["delete from marts.scores where rowid % 2 = 0"],
        {"mart": "scores"},
    ),
    ("inspections", "score_changes_within_bounds", "a corrected report moves 30 points"): (
        [
            f"update marts.inspections set score_pct = score_pct + 30, content_sha256 = '{'d' * 64}' "
            f"where inspection_id = {DORSET}"
        ],
        {"inspection_id": "dorset-2023-08", "new_sha256": "d" * 64},
    ),
}


def test_every_suite_has_a_breaking_case() -> None:
    assert {(s.table, s.check) for s in SUITES} - {("reports", "quarantine_is_empty")} == {k[:2] for k in CASES}


@pytest.mark.parametrize("key", sorted(CASES), ids=lambda k: f"{k[1]}@{k[0]}: {k[2]}")
def test_broken_marts_fail_with_offending_row(
    broken: Callable[..., Path], published: Path, key: tuple[str, str, str]
) -> None:
    statements, offending = CASES[key]
    s = suite(*key[:2])
    result = run(broken(*statements), s, published)
    assert result.success is False
    assert result.failed_expectations
    assert any(offending.items() <= row.items() for row in result.offending_rows), result.offending_rows
    assert str(next(iter(offending.values()))) in result.offending_markdown()


def test_an_inspection_forgotten_on_purpose_is_not_lost(broken: Callable[..., Path], published: Path) -> None:
    forgotten = broken(
        f"delete from marts.inspections where inspection_id = {DORSET}",
        "create table if not exists raw.forgotten_inspections (inspection_id varchar, forgotten_at timestamp, reason varchar)",
        f"insert into raw.forgotten_inspections values ({DORSET}, now(), 'withdrawn by HMI')",
    )
    assert run(forgotten, suite("inspections", "no_published_inspection_lost"), published).success


def test_a_changed_report_may_change_its_values(broken: Callable[..., Path], published: Path) -> None:
    changed = broken(
        f"update marts.inspections set score = score + 1, content_sha256 = '{'d' * 64}' where inspection_id = {DORSET}"
    )
    assert run(changed, suite("inspections", "unchanged_report_unchanged_values"), published).success


def test_every_percentage_of_the_marts_is_guarded(built: Built) -> None:
    with duckdb.connect(str(built.warehouse), read_only=True) as con:
        found = con.execute(
            "select table_name, column_name from information_schema.columns where table_schema = 'marts' "
            "and column_name like '%pct%'"
        ).fetchall()
    guarded = {(table, column) for table, (_, columns) in PCT_COLUMNS.items() for column in columns}
    assert {(t, c) for t, c in found if c not in NOT_A_PERCENTAGE} == guarded


def test_severity_follows_policy(built: Built, broken: Callable[..., Path], published: Path) -> None:
    warn = run(built.warehouse, suite("reports", "quarantine_is_empty"))
    error = run(
        broken(*CASES["inspections", "no_published_inspection_lost", "an inspection gone"][0]),
        suite("inspections", "no_published_inspection_lost"),
        published,
    )
    bound = run(
        broken(*CASES["inspections", "row_counts_within_bounds", "half the scores gone"][0]),
        suite("inspections", "row_counts_within_bounds"),
        published,
    )
    assert (warn.success, warn.severity, error.success, error.severity) == (False, "warn", False, "error")
    assert (bound.success, bound.severity) == (False, "warn")


def test_quarantine_lists_files(built: Built, broken: Callable[..., Path]) -> None:
    result = run(built.warehouse, suite("reports", "quarantine_is_empty"))
    assert (result.success, result.severity) == (False, "warn")
    assert result.offending_rows[0]["file_path"] == "youth-justice-doncaster.pdf"
    assert {"file_path", "content_sha256", "reason"} <= result.offending_rows[0].keys()
    cleared = broken("update raw.report_files set present = false where status = 'quarantined'")
    assert run(cleared, suite("reports", "quarantine_is_empty")).success


def test_offending_rows_are_capped() -> None:
    frame = pd.DataFrame({"inspection_id": [f"x-{i}" for i in range(50)], "score_pct": [150.0] * 50})
    result = validate_frame(suite("inspections", "pct_within_0_100"), frame)
    assert (result.success, result.offending_count, len(result.offending_rows)) == (False, 50, MAX_OFFENDING_ROWS)
    assert "30 more rows" in result.offending_markdown()
