"""The one place that says which data-quality checks block a publish and which only warn.

Keys are check names shared by both engines:
- GX suites (expectations/suites.py) use them as their check name;
- dbt tests map to a key by `meta.check` when set, else their generic test name (unique, not_null, ...),
  else their own name (singular tests in dbt_project/tests/). The severities configured in dbt must agree
  with this table; tests/dbt/test_policy.py asserts it on dbt's manifest.

"error" = blocking: the data is wrong in a way BI users would be misled by (broken keys, impossible values,
arithmetic that does not add up), so the serving copy must not be replaced.
"warn" = visible but not blocking: a disagreement with an inferred rule (band edges are not official, the
published rating is the truth) or an operational state (quarantined files, reference data lagging behind HMI).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Literal

Severity = Literal["error", "warn"]
ERROR: Severity = "error"
WARN: Severity = "warn"

POLICY: Mapping[str, Severity] = MappingProxyType(
    {
        # Structure (dbt generic tests): keys, nulls, value sets, foreign keys.
        "unique": ERROR,
        "not_null": ERROR,
        "accepted_values": ERROR,
        "relationships": ERROR,
        "unique_combination": ERROR,
        "inspection_id_unique": ERROR,
        # Domain invariants (dbt singular tests and/or GX suites).
        "pct_within_0_100": ERROR,
        "rating_in_scale": ERROR,
        "at_most_10_rated_standards": ERROR,
        "score_equals_sum_of_points": ERROR,
        "max_score_is_3x_rated": ERROR,
        "recommendation_numbers_contiguous": ERROR,
        "standard_in_framework": ERROR,
        "share_within_0_1": ERROR,
        "every_recommendation_has_a_theme": ERROR,
        "previous_inspection_is_earlier": ERROR,
        "region_summary_counts_each_pdu_once": ERROR,
        # Inferred rules: the published rating is the truth, the bands are only a cross-check.
        "band_rating_matches_published_rating": WARN,
        "overall_rating_matches_score_band": WARN,
        # Reference data may lag behind HMI (new PDUs, renamed regions): flag, don't block.
        "pdu_in_reference": WARN,
        "region_in_reference": WARN,
        # A key-question wording the theme seed does not know: the percentage keeps no theme until the seed is extended.
        "key_question_has_one_theme": WARN,
        # Operational: unparseable files are kept out of the marts and listed, not fatal.
        "quarantine_is_empty": WARN,
    }
)


def severity(check: str) -> Severity:
    """Severity of a check; an unknown name is a programming error (every check must be in the policy)."""
    try:
        return POLICY[check]
    except KeyError:
        raise KeyError(f"check {check!r} is not in expectations/policy.py POLICY") from None


def is_blocking(check: str) -> bool:
    return severity(check) == ERROR


def dbt_check_name(test_node: Mapping[str, Any]) -> str:
    """Policy key of a dbt test node (manifest.json `nodes` entry or its dict form)."""
    config = test_node.get("config") or {}
    meta = config.get("meta") or test_node.get("meta") or {}
    if meta.get("check"):
        return str(meta["check"])
    generic = (test_node.get("test_metadata") or {}).get("name")
    return str(generic or test_node["name"])
