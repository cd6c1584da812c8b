"""Every dbt test fails (or warns, per expectations/policy.py) on a deliberately broken copy of the warehouse.

Generic tests are corrupted mechanically from the manifest (null, duplicate, out-of-set value, dangling key,
140 %); singular tests get a hand-made corruption each. The happy path is the shared build, which passes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest

from expectations.policy import POLICY, dbt_check_name
from tests.dbt.warehouse_fixtures import Built, execute

pytestmark = pytest.mark.slow

EXPECTED_STATUS = {"error": "fail", "warn": "warn"}
DORSET = "'dorset-2023-08'"
STATE = "intermediate.incremental_state"
PORTSMOUTH = "'portsmouth-and-the-isle-of-wight-2023-07'"


@dataclass(frozen=True)
class GenericTest:
    name: str
    kind: str  # not_null, unique, accepted_values, relationships, unique_combination
    relation: str  # schema.table it tests
    column: str | None
    expected: str  # dbt status when the test finds rows


def generic_tests(manifest: dict[str, Any]) -> list[GenericTest]:
    tests = []
    for node in manifest["nodes"].values():
        if node["resource_type"] != "test" or not node.get("test_metadata"):
            continue
        target_id = node.get("attached_node") or node["depends_on"]["nodes"][0]
        target = manifest["nodes"].get(target_id) or manifest["sources"][target_id]
        table = target.get("alias") or target.get("identifier") or target["name"]
        tests.append(
            GenericTest(
                name=node["name"],
                kind=node["test_metadata"]["name"],
                relation=f"{target['schema']}.{table}",
                column=node.get("column_name") or node["test_metadata"]["kwargs"].get("column_name"),
                expected=EXPECTED_STATUS[POLICY[dbt_check_name(node)]],
            )
        )
    return sorted(tests, key=lambda t: t.name)


def _column_type(con: duckdb.DuckDBPyConnection, relation: str, column: str) -> str:
    schema, table = relation.split(".")
    return con.execute(
        "select data_type from information_schema.columns where table_schema = ? and table_name = ? "
        "and column_name = ?",
        [schema, table, column],
    ).fetchall()[0][0]


def _one_row(relation: str) -> str:
    return f"rowid = (select min(rowid) from {relation})"


def _duplicate_row(relation: str, column: str | None) -> str:
    return f"insert into {relation} select * from {relation} where {_one_row(relation)}"


def _set_value(value: Callable[[str], str]) -> Callable[[str, str, duckdb.DuckDBPyConnection], str]:
    def corrupt(relation: str, column: str, con: duckdb.DuckDBPyConnection) -> str:
        return (
            f"update {relation} set {column} = {value(_column_type(con, relation, column))} where {_one_row(relation)}"
        )

    return corrupt


CORRUPTIONS: dict[str, Callable[..., str]] = {
    "not_null": _set_value(lambda _: "null"),
    "accepted_values": _set_value(lambda t: "7" if t == "INTEGER" else "'bogus'"),
    "relationships": _set_value(lambda t: "999" if t == "INTEGER" else "'no-such-key'"),
}


def corruption_sql(con: duckdb.DuckDBPyConnection, test: GenericTest) -> str:
    if test.kind in ("unique", "unique_combination"):
        return _duplicate_row(test.relation, test.column)
    assert test.column, test
    return CORRUPTIONS[test.kind](test.relation, test.column, con)


@pytest.mark.parametrize(
    "kind",
    [
        "not_null",
        "unique",
        "unique_combination",
        "accepted_values",
        "relationships",
    ],
)
def test_each_generic_test_catches_its_corruption(built: Built, tmp_path: Path, kind: str) -> None:
    """All tests of one kind in one dbt run: each corrupts only its own column (one row), so they don't mask
    each other, and a single invocation keeps this fast."""
    tests = [t for t in generic_tests(built.manifest_json()) if t.kind == kind]
    assert tests, kind
    copy = built.copy(tmp_path)
    exercised, guarded = [], []
    with duckdb.connect(str(copy)) as con:
        for test in tests:
            try:
                con.execute(corruption_sql(con, test))
                exercised.append(test)
            except duckdb.ConstraintException:
                guarded.append(test.name)  # raw primary keys / NOT NULL already refuse the corruption
        # The corrupted rows stand for rows a build has just written: not yet tested (the incremental marts'
        # row-level tests look only at those, docs/dbt.md).
        con.execute(f"update {STATE} set tested_by = null")
    assert exercised, f"every corruption was refused: {guarded}"
    statuses = built.dbt.invoke(["test", "--select", *(t.name for t in exercised)], copy).statuses
    problems = [
        f"{t.name}: {statuses.get(t.name)} (expected {t.expected})"
        for t in exercised
        if statuses.get(t.name) != t.expected
    ]
    assert not problems, "\n".join(problems)


# Singular tests: (dbt test, SQL that breaks exactly that rule).
SINGULAR_CASES: dict[str, list[str]] = {
    "standard_in_framework": [
        "update marts.ratings set standard_code = '2.5' where inspection_id = 'doncaster-2024-10' "
        "and standard_code = '2.4'",
    ],
    "band_rating_matches_published_rating": [
        f"update marts.ratings set discretion_applied = false where inspection_id = {PORTSMOUTH} "
        "and standard_code = '2.1'",
    ],
    "overall_rating_matches_score_band": [
        f"update marts.inspections set overall_rating = 'Good' where inspection_id = {PORTSMOUTH}",
    ],
    "key_question_has_one_theme": [
        f"update marts.scores set question_text = 'Was the weather fine?' where inspection_id = {DORSET} "
        "and standard_code = '2.2' and question_number = 1",
    ],
    "every_recommendation_has_a_theme": [
        f"delete from marts.recommendation_themes where inspection_id = {DORSET} and rec_number = 1",
    ],
    "previous_inspection_is_earlier": [
        f"update marts.pdu_history set previous_inspection_id = {PORTSMOUTH} where inspection_id = {DORSET}",
    ],
    "region_summary_counts_each_pdu_once": [
        "update marts.region_summary set pdus_inspected = 2 where region = 'South West'",
    ],
    "rating_points_match_scale": [
        f"update marts.ratings set rating_points = rating_points + 1 where inspection_id = {DORSET} and standard_code = '1.2'",
    ],
}


@pytest.mark.parametrize("test_name", sorted(SINGULAR_CASES))
def test_singular_test_catches_its_corruption(built: Built, tmp_path: Path, test_name: str) -> None:
    copy = built.copy(tmp_path)
    assert built.dbt.invoke(["test", "--select", test_name], copy).statuses[test_name] == "pass"
    execute(copy, *SINGULAR_CASES[test_name])
    [node] = [
        n for n in built.manifest_json()["nodes"].values() if n["resource_type"] == "test" and n["name"] == test_name
    ]
    expected = EXPECTED_STATUS[POLICY[dbt_check_name(node)]]
    assert built.dbt.invoke(["test", "--select", test_name], copy).statuses[test_name] == expected


def test_every_singular_test_has_a_case(built: Built) -> None:
    manifest = built.manifest_json()
    singular = {
        n["name"] for n in manifest["nodes"].values() if n["resource_type"] == "test" and not n.get("test_metadata")
    }
    assert singular == set(SINGULAR_CASES)


def test_build_passes_without_warnings(built: Built, tmp_path: Path) -> None:
    outcome = built.dbt.invoke(["test"], built.copy(tmp_path))
    assert outcome.success and not outcome.failing()


def test_row_level_tests_of_incremental_marts_look_at_untested_rows_only(built: Built, tmp_path: Path) -> None:
    copy = built.copy(tmp_path)
    name = "not_null_ratings_rating_points"
    execute(copy, f"update marts.ratings set rating_points = null where inspection_id = {DORSET}")
    # The shared build's tests passed: its rows are tested, and a row changed behind dbt's back is not seen.
    assert built.dbt.invoke(["test", "--select", name], copy).statuses[name] == "pass"
    execute(copy, f"update {STATE} set tested_by = null where model = 'ratings' and inspection_id = {DORSET}")
    assert built.dbt.invoke(["test", "--select", name], copy).statuses[name] == "fail"
    # A failing test leaves its rows untested: the next run still fails.
    assert built.dbt.invoke(["test", "--select", name], copy).statuses[name] == "fail"
