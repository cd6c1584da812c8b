"""One home per rule: dbt's test severities agree with expectations/policy.py, no rule lives in both engines,
and docs/data-quality.md's table says what the code does."""

from __future__ import annotations

import re

import pytest

from config.settings import PROJECT_ROOT
from expectations import POLICY, SUITES
from expectations.policy import dbt_check_name, severity
from tests.dbt.warehouse_fixtures import Built

pytestmark = pytest.mark.slow

DOC = PROJECT_ROOT / "docs" / "data-quality.md"


def _dbt_checks(built: Built) -> set[str]:
    return {dbt_check_name(n) for n in built.manifest_json()["nodes"].values() if n["resource_type"] == "test"}


def test_every_dbt_test_severity_matches_the_policy(built: Built) -> None:
    nodes = [n for n in built.manifest_json()["nodes"].values() if n["resource_type"] == "test"]
    assert nodes
    mismatches = [
        f"{n['name']}: dbt {n['config']['severity']}, policy {POLICY.get(dbt_check_name(n))} ({dbt_check_name(n)})"
        for n in nodes
        if n["config"]["severity"].lower() != POLICY.get(dbt_check_name(n))
    ]
    assert not mismatches, "\n".join(mismatches)


def test_every_policy_entry_is_used_by_exactly_one_engine(built: Built) -> None:
    dbt, gx = _dbt_checks(built), {suite.check for suite in SUITES}
    assert dbt | gx == set(POLICY)
    assert not dbt & gx, f"rules in both dbt and GX: {sorted(dbt & gx)}"


def test_gx_suites_take_their_severity_from_the_policy() -> None:
    for suite in SUITES:
        assert severity(suite.check) in ("error", "warn")
    with pytest.raises(KeyError):
        severity("not_a_check")


def _doc_rows() -> dict[str, dict[str, str]]:
    """The checks table of docs/data-quality.md: policy key -> its cells."""
    text = DOC.read_text()
    table = text[text.index("| check (policy key) |") :].split("\n\n", 1)[0].splitlines()
    header = [cell.strip() for cell in table[0].strip("|").split("|")]
    rows = {}
    for line in table[2:]:
        cells = dict(zip(header, (cell.strip() for cell in line.strip("|").split(" | ")), strict=True))
        rows[cells["check (policy key)"].strip("`")] = cells
    return rows


def test_the_docs_table_matches_the_code(built: Built) -> None:
    rows = _doc_rows()
    assert set(rows) == set(POLICY), "docs/data-quality.md lists other checks than expectations/policy.py"
    dbt, gx = _dbt_checks(built), {suite.check for suite in SUITES}
    wrong = []
    for check, cells in rows.items():
        engine = "GX" if check in gx else "dbt"
        if cells["severity"] != POLICY[check] or cells["engine"] != engine:
            wrong.append(f"{check}: docs {cells['severity']}/{cells['engine']}, code {POLICY[check]}/{engine}")
        for suite in (s for s in SUITES if s.check == check):  # each GX table the suite guards is named
            if not re.search(rf"\b{suite.table}\b", cells["where"]):
                wrong.append(f"{check}: docs do not name {suite.schema}.{suite.table}")
    assert dbt <= set(rows)
    assert not wrong, "\n".join(wrong)
