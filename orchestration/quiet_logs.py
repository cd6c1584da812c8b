"""Drop the one Dagster log line that reads like an error but is not one in this code location.

When a refresh stops early (nothing changed since the last publish), the dbt step is skipped, and
Dagster's planner warns for each blocking check of the skipped step: "Blocking asset check ... emitted no
result ... will proceed without gating on it". The downstream publish is skipped anyway (its inputs are
missing), so nothing proceeds ungated. In this code location a check step that actually runs always
yields a result or fails, so the message can only come from such a skipped step: it is dropped here.
"""

from __future__ import annotations

import logging

PLANNER_LOGGER = "dagster._core.execution.plan.active"


class SkippedStepCheckNoise(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not (message.startswith("Blocking asset check ") and " emitted no result in step " in message)


def install() -> None:
    logger = logging.getLogger(PLANNER_LOGGER)
    if not any(isinstance(f, SkippedStepCheckNoise) for f in logger.filters):
        logger.addFilter(SkippedStepCheckNoise())
