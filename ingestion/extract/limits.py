"""Per-file limits that keep one hostile or broken file from stalling a run.

Every format has a size limit (checked before a byte is read) and a time budget (checked as the
extractors go). Both come from the environment so that an operator can raise them for an unusual
landing folder (README "Configuration"); a file over either is quarantined with that reason.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

from ingestion.errors import ExtractionError

MAX_FILE_MB_ENV = "PROBATION_MAX_FILE_MB"
TIME_BUDGET_ENV = "PROBATION_FILE_TIME_BUDGET_S"
# A text conversion of a report is ~100 KB, an HTML page ~0.5 MB, a PDF rarely over 10 MB.
DEFAULT_MAX_FILE_MB = 32.0
DEFAULT_TIME_BUDGET_S = 60.0


@dataclass(frozen=True)
class FileLimits:
    max_bytes: int
    seconds: float

    def check_size(self, size: int) -> None:
        if size > self.max_bytes:
            raise ExtractionError(
                f"file is {size / 1e6:.1f} MB, over the {self.max_bytes / 1e6:g} MB limit per file ({MAX_FILE_MB_ENV})"
            )

    def set_the_limit_of(self, reason: str) -> bool:
        """Whether a quarantine `reason` names one of these limits (False: another limit, or none)."""
        return f"over the {self.max_bytes / 1e6:g} MB limit" in reason or f"its {self.seconds:g}s time budget" in reason

    def deadline(self, what: str) -> Deadline:
        return Deadline(what, self.seconds)


def _positive_float(env: str, default: float) -> float:
    raw = os.environ.get(env, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{env}={raw!r} is not a number") from None
    if value <= 0:
        raise ValueError(f"{env}={raw!r} must be greater than 0")
    return value


def file_limits() -> FileLimits:
    """The limits in force, read from the environment at each call (tests and operators may change them)."""
    megabytes = _positive_float(MAX_FILE_MB_ENV, DEFAULT_MAX_FILE_MB)
    return FileLimits(max_bytes=int(megabytes * 1e6), seconds=_positive_float(TIME_BUDGET_ENV, DEFAULT_TIME_BUDGET_S))


class Deadline:
    """A time budget that long loops check every few hundred steps (checking costs a clock read)."""

    EVERY = 512

    def __init__(self, what: str, seconds: float) -> None:
        self.what, self.seconds = what, seconds
        self.ends = time.monotonic() + seconds
        self._steps = 0

    def tick(self) -> None:
        self._steps += 1
        if self._steps % self.EVERY == 0:
            self.check()

    def check(self) -> None:
        if time.monotonic() > self.ends:
            raise ExtractionError(
                f"{self.what} exceeded its {self.seconds:g}s time budget per file ({TIME_BUDGET_ENV})"
            )
