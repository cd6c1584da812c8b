"""Great Expectations suites guarding the marts and the change between published versions (plain Python).

`validate_suites(suites, con, published, data_docs)` validates suites against an open DuckDB connection
(and writes GX's Data Docs site of that validation); `SUITES` lists them; `expectations.policy` says which
checks block the publish and which only warn.
"""

from expectations.policy import POLICY, Severity, is_blocking, severity
from expectations.runner import SuiteResult, run_suite, validate_frame, validate_suites
from expectations.suites import NO_PUBLISHED_VERSION, SUITES, Suite, suites_for

__all__ = [
    "NO_PUBLISHED_VERSION",
    "POLICY",
    "SUITES",
    "Severity",
    "Suite",
    "SuiteResult",
    "is_blocking",
    "run_suite",
    "severity",
    "suites_for",
    "validate_frame",
    "validate_suites",
]
