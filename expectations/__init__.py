"""Great Expectations suites guarding the raw tables and the marts (plain Python, no Dagster).

`run_suite(suite, con)` validates one suite against an open DuckDB connection; `SUITES` lists them;
`expectations.policy` says which checks block the publish and which only warn.
"""

from expectations.policy import POLICY, Severity, is_blocking, severity
from expectations.runner import SuiteResult, run_suite, validate_frame
from expectations.suites import SUITES, Suite, suites_for

__all__ = [
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
]
