"""The inspections the marts hold from a last good version: their file's newer content cannot be read.

A refresh keeps such an inspection rather than dropping it (docs/dbt.md, "Last good versions"); this reader
lets the run summary, the raw asset and the dashboard name them. No Dagster import here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb


@dataclass(frozen=True)
class KeptVersion:
    inspection_id: str
    file_path: str
    rejected_since: datetime
    reason: str

    def text(self) -> str:
        return (
            f"{self.inspection_id} ({self.file_path}: newer version unusable since "
            f"{self.rejected_since:%Y-%m-%d %H:%M}: {self.reason})"
        )


def kept_last_good(con: duckdb.DuckDBPyConnection) -> list[KeptVersion]:
    """Every inspection of marts.inspections kept from a last good version, oldest rejection first."""
    rows = con.execute(
        """
        SELECT inspection_id, file_path, newer_file_rejected_at, newer_file_rejected_reason
        FROM marts.inspections
        WHERE newer_file_rejected_reason IS NOT NULL
        ORDER BY newer_file_rejected_at, inspection_id
        """
    ).fetchall()
    return [KeptVersion(*row) for row in rows]
