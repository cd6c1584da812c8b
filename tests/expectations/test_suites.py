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


def suite(schema: str, table: str, check: str) -> Suite:
    [found] = [s for s in SUITES if (s.schema, s.table, s.check) == (schema, table, check)]
    return found


def run(warehouse: Path, s: Suite) -> SuiteResult:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return run_suite(s, con)


@pytest.mark.parametrize(
    "s", [s for s in SUITES if s.check != "quarantine_is_empty"], ids=lambda s: s.dagster_name + "@" + s.table
)
def test_happy_path_passes(built: Built, s: Suite) -> None:
    result = run(built.warehouse, s)
    assert result.success, (result.failed_expectations, result.offending_rows)
    assert result.row_count > 0 and result.offending_rows == []


# (schema, table, check) -> (corruption, a key the offending rows must show: column -> value)
CASES: dict[tuple[str, str, str], tuple[list[str], dict[str, object]]] = {
    ("raw", "key_questions", "pct_within_0_100"): (
        [
            f"update raw.key_questions set pct_yes = 140 where content_sha256 = '{'a' * 64}' and number = 1 "
            "and standard_code = '2.2'"
        ],
        {"pct_yes": 140, "standard_code": "2.2"},
    ),
    ("raw", "standards", "rating_in_scale"): (
        [f"update raw.standards set rating = 'Excellent' where content_sha256 = '{'b' * 64}' and code = '1.4'"],
        {"rating": "Excellent", "code": "1.4"},
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


def test_severity_follows_policy(built: Built, broken: Callable[..., Path]) -> None:
    warn = run(built.warehouse, suite("raw", "reports", "quarantine_is_empty"))
    error = run(
        broken(f"update raw.standards set rating = 'Excellent' where content_sha256 = '{'b' * 64}' and code = '1.4'"),
        suite("raw", "standards", "rating_in_scale"),
    )
    assert (warn.success, warn.severity, error.success, error.severity) == (False, "warn", False, "error")


def test_the_marts_have_no_suite() -> None:
    """Mart rules are dbt tests (tests/dbt/test_dbt_checks.py proves each catches its corruption): one engine each."""
    assert {s.schema for s in SUITES} == {"raw"}


def test_quarantine_lists_files(built: Built, broken: Callable[..., Path]) -> None:
    result = run(built.warehouse, suite("raw", "reports", "quarantine_is_empty"))
    assert (result.success, result.severity) == (False, "warn")
    assert result.offending_rows[0]["file_path"] == "youth-justice-doncaster.pdf"
    assert {"file_path", "content_sha256", "reason"} <= result.offending_rows[0].keys()
    cleared = broken("update raw.report_files set present = false where status = 'quarantined'")
    assert run(cleared, suite("raw", "reports", "quarantine_is_empty")).success


def test_offending_rows_are_capped() -> None:
    frame = pd.DataFrame(
        {"content_sha256": ["x"] * 50, "standard_code": ["2.2"] * 50, "number": range(50), "pct_yes": [150] * 50}
    )
    result = validate_frame(suite("raw", "key_questions", "pct_within_0_100"), frame)
    assert (result.success, result.offending_count, len(result.offending_rows)) == (False, 50, MAX_OFFENDING_ROWS)
    assert "30 more rows" in result.offending_markdown()
