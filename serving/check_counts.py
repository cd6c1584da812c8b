"""The one way check results are counted and shown: blocking and warning apart, passed and failed.

A check is blocking when Dagster marks it blocking (the policy's "error" checks on the marts, and dbt tests
of severity error): a failed one stops the publish. Every other check is counted as a warning: when it
fails it is shown as a failed warning and stops nothing. Used by
`make run`'s summary, `inspections serving list/status` and the serving copy's metadata in Dagster, so
the same checks always give the same numbers. Input: dicts with "name", "passed", "blocking" and
"severity", the shape recorded in each published version's version.json.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


def is_blocking(check: Mapping) -> bool:
    """Whether a failure of this check stops the publish.

    Dagster's blocking flag when recorded: severity alone miscounts, as dagster-dbt reports a *passing*
    warn-level dbt test with severity ERROR. A failed check of severity ERROR always counts as blocking,
    since the publish refuses it whatever the flag. Versions published before the flag: severity ERROR.
    """
    error = str(check.get("severity", "")).upper() == "ERROR"
    if check.get("passed") is False and error:
        return True
    if check.get("blocking") is not None:
        return bool(check["blocking"])
    return error


@dataclass(frozen=True)
class CheckCounts:
    blocking_passed: int = 0
    warnings_passed: int = 0
    blocking_failed: list[str] = field(default_factory=list)
    warnings_failed: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, checks: Iterable[Mapping]) -> CheckCounts:
        counts = {"blocking": [0, []], "warnings": [0, []]}
        for check in checks:
            tally = counts["blocking" if is_blocking(check) else "warnings"]
            if check.get("passed", True):
                tally[0] += 1
            else:
                tally[1].append(str(check["name"]))
        return cls(
            counts["blocking"][0], counts["warnings"][0], sorted(counts["blocking"][1]), sorted(counts["warnings"][1])
        )

    @property
    def total(self) -> int:
        return self.blocking_passed + self.warnings_passed + len(self.blocking_failed) + len(self.warnings_failed)

    def text(self) -> str:
        """E.g. "blocking 58/58 passed, warnings 6/7 passed (1 failed warning)"."""
        blocking = self.blocking_passed + len(self.blocking_failed)
        warnings = self.warnings_passed + len(self.warnings_failed)
        text = f"blocking {self.blocking_passed}/{blocking} passed, warnings {self.warnings_passed}/{warnings} passed"
        notes = []
        if self.blocking_failed:
            notes.append(f"{len(self.blocking_failed)} BLOCKING failed")
        if self.warnings_failed:
            notes.append(f"{len(self.warnings_failed)} failed warning{'s' if len(self.warnings_failed) > 1 else ''}")
        return f"{text} ({', '.join(notes)})" if notes else text

    def failure_lines(self, indent: str = "  ") -> list[str]:
        return [f"{indent}blocking check failed: {name}" for name in self.blocking_failed] + [
            f"{indent}warning (does not block the publish): {name}" for name in self.warnings_failed
        ]
