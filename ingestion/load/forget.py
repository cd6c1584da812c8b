"""Removing an inspection from the marts on purpose, and taking the removal back.

A refresh never drops a published inspection by itself: a file that leaves the landing folder keeps its data,
and one whose new version cannot be read keeps its last good version. The one way to remove an inspection is to
record it here, in raw.forgotten_inspections (one row per forgotten inspection, with when and why); the dbt
models leave those inspections out from the next build, and checks that compare publishes read the table to
tell a removal on purpose from a loss. Nothing else is deleted: undoing it brings the inspection back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb

from ingestion.load.raw_tables import FORGOTTEN_DDL, FORGOTTEN_TABLE, RAW_SCHEMA

TABLE = f"{RAW_SCHEMA}.{FORGOTTEN_TABLE}"


@dataclass(frozen=True)
class Forgotten:
    inspection_id: str
    forgotten_at: datetime
    reason: str | None


class UnknownInspection(LookupError):
    """The inspection is in neither the marts nor the forgotten list."""


def ensure_forgotten_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {RAW_SCHEMA}")
    con.execute(FORGOTTEN_DDL)


def forgotten(con: duckdb.DuckDBPyConnection) -> list[Forgotten]:
    ensure_forgotten_table(con)
    rows = con.execute(f"SELECT inspection_id, forgotten_at, reason FROM {TABLE} ORDER BY forgotten_at").fetchall()
    return [Forgotten(*row) for row in rows]


def _in_marts(con: duckdb.DuckDBPyConnection, inspection_id: str) -> bool:
    try:
        found = con.execute("SELECT count(*) FROM marts.inspections WHERE inspection_id = ?", [inspection_id])
    except duckdb.CatalogException:
        return False  # marts not built yet: there is nothing to forget
    return found.fetchone()[0] > 0


def forget(con: duckdb.DuckDBPyConnection, inspection_id: str, reason: str | None = None) -> Forgotten:
    """Record `inspection_id` as removed on purpose; the one already recorded is returned unchanged.

    Only an inspection the marts hold can be forgotten, so that a mistyped id is refused rather than recorded.
    """
    ensure_forgotten_table(con)
    for entry in forgotten(con):
        if entry.inspection_id == inspection_id:
            return entry
    if not _in_marts(con, inspection_id):
        raise UnknownInspection(inspection_id)
    entry = Forgotten(inspection_id, datetime.now(UTC).replace(tzinfo=None), reason)
    con.execute(f"INSERT INTO {TABLE} VALUES (?, ?, ?)", [entry.inspection_id, entry.forgotten_at, entry.reason])
    return entry


def remember(con: duckdb.DuckDBPyConnection, inspection_id: str) -> Forgotten:
    """Take back the removal of `inspection_id`; returns what was recorded."""
    for entry in forgotten(con):
        if entry.inspection_id == inspection_id:
            con.execute(f"DELETE FROM {TABLE} WHERE inspection_id = ?", [inspection_id])
            return entry
    raise UnknownInspection(inspection_id)
