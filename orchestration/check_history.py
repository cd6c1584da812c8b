"""Reading past asset-check evaluations from the Dagster instance."""

from __future__ import annotations

from dagster import AssetCheckKey, DagsterInstance
from dagster._core.storage.asset_check_execution_record import (
    COMPLETED_ASSET_CHECK_EXECUTION_RECORD_STATUSES,
    AssetCheckExecutionRecord,
)


def latest_finished(instance: DagsterInstance, key: AssetCheckKey) -> AssetCheckExecutionRecord | None:
    """The newest evaluation of `key` that finished (passed or failed).

    A check that a run planned but never executed (skipped, or a run that lost the warehouse lock)
    has a newer PLANNED record with no result: it must neither crash a reader nor hide the last real result.
    """
    history = instance.event_log_storage.get_asset_check_execution_history(
        key, limit=1, status=COMPLETED_ASSET_CHECK_EXECUTION_RECORD_STATUSES
    )
    return history[0] if history and history[0].evaluation is not None else None
