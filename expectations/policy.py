"""The one place that says which data-quality checks block a publish and which only warn.

Keys are check names; each belongs to one engine (docs/data-quality.md, "One home per kind of rule"):
- GX suites (expectations/suites.py) use them as their check name;
- dbt tests map to a key by `meta.check` when set, else their generic test name (unique, not_null, ...),
  else their own name (singular tests in dbt_project/tests/). The severities configured in dbt must agree
  with this table; tests/dbt/test_policy.py asserts it on dbt's manifest, and that no key is used by both.

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
        # Structure (dbt generic tests and contracts): keys, nulls, value sets, foreign keys.
        "unique": ERROR,
        "not_null": ERROR,
        "accepted_values": ERROR,
        "relationships": ERROR,
        "unique_combination": ERROR,
        "inspection_id_unique": ERROR,
        # Structure across marts (dbt singular tests): joins that must match row for row.
        "rating_in_scale": ERROR,
        "standard_in_framework": ERROR,
        "every_recommendation_has_a_theme": ERROR,
        "previous_inspection_is_earlier": ERROR,
        "region_summary_counts_each_pdu_once": ERROR,
        # Value invariants of the marts (GX suites, expectations/suites.py).
        "pct_within_0_100": ERROR,
        "rated_standards_match_framework": ERROR,
        "score_equals_sum_of_points": ERROR,
        "one_overall_rating_per_inspection": ERROR,
        "shares_sum_to_100": ERROR,
        "recommendation_numbers_contiguous": ERROR,
        # Across versions (GX suites against the current serving version).
        "no_published_inspection_lost": ERROR,
        "unchanged_report_unchanged_values": ERROR,
        # Stated bounds of a normal refresh: a larger change is worth a look, it may be a real one.
        "row_counts_within_bounds": WARN,
        "score_changes_within_bounds": WARN,
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
