"""The dbt test severities agree with expectations/policy.py, the one place the blocking/warn split lives."""

from __future__ import annotations

import pytest

from expectations import POLICY, SUITES
from expectations.policy import dbt_check_name, severity
from tests.dbt.warehouse_fixtures import Built

pytestmark = pytest.mark.slow


def test_every_dbt_test_severity_matches_the_policy(built: Built) -> None:
    nodes = [n for n in built.manifest_json()["nodes"].values() if n["resource_type"] == "test"]
    assert nodes
    mismatches = [
        f"{n['name']}: dbt {n['config']['severity']}, policy {POLICY.get(dbt_check_name(n))} ({dbt_check_name(n)})"
        for n in nodes
        if n["config"]["severity"].lower() != POLICY.get(dbt_check_name(n))
    ]
    assert not mismatches, "\n".join(mismatches)


def test_every_policy_entry_is_used(built: Built) -> None:
    used = {dbt_check_name(n) for n in built.manifest_json()["nodes"].values() if n["resource_type"] == "test"}
    used |= {suite.check for suite in SUITES}
    assert used == set(POLICY)


def test_gx_suites_take_their_severity_from_the_policy() -> None:
    for suite in SUITES:
        assert severity(suite.check) in ("error", "warn")
    with pytest.raises(KeyError):
        severity("not_a_check")
