"""What changed between two serving versions' marts: inspections added or removed, values changed.

A row is identified by its mart's key (schema.row_key): the same key in both versions is the same row, and
each column whose value differs (exactly, nulls equal) is one change; values are shown as DuckDB's text
of them (ISO dates, true/false, doubles in full). Columns that record where and when a report was read
(PROVENANCE) are not values of the data: re-parsing or moving a file changes them without changing what
the report says. A changed report file is listed once, as a "source changed" line with its two SHA-256s.
Rows of an inspection that was added or removed are covered by the "inspection added/removed" line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import astuple, dataclass, fields
from pathlib import Path

import duckdb

from serving.publish import PARQUET, PublishedVersion
from serving.release.schema import row_key

INSPECTIONS = "inspections"
INSPECTION_ID = "inspection_id"
SOURCE_HASH = "content_sha256"
PROVENANCE = {"source_file", "source_format", SOURCE_HASH, "file_path", "file_present", "parsed_at"}
KINDS = [
    "inspection added",
    "inspection removed",
    "source changed",
    "table added",
    "table removed",
    "column added",
    "column removed",
    "row added",
    "row removed",
    "value changed",
]


@dataclass(frozen=True)
class Change:
    kind: str
    inspection_id: str | None
    table: str
    key: str  # the row, as `column=value, ...` of the mart's key ("" for a whole table or column)
    field: str | None = None
    old: str | None = None
    new: str | None = None


CHANGE_FIELDS = [f.name for f in fields(Change)]


def diff_versions(old: PublishedVersion, new: PublishedVersion) -> list[Change]:
    """Changes from `old` to `new`, inspections first, then mart by mart in publish order.

    The comparison runs in DuckDB on the two versions' Parquet files (joins on the row keys), so only the
    changes, not the marts, pass through Python.
    """
    old_tables, new_tables = list(old.row_counts), list(new.row_counts)
    with duckdb.connect() as con:
        for alias, version, tables in (("o", old, old_tables), ("n", new, new_tables)):
            for table in tables:
                path = str(version.path / PARQUET / f"{table}.parquet").replace("'", "''")
                con.execute(f"CREATE VIEW {alias}_{table} AS SELECT * FROM read_parquet('{path}')")
        changes, skipped = _inspection_changes(con, old_tables, new_tables)
        changes += [Change("table added", None, t, "") for t in new_tables if t not in old_tables]
        changes += [Change("table removed", None, t, "") for t in old_tables if t not in new_tables]
        for table in [t for t in new_tables if t in old_tables and not _same_file(old, new, t)]:
            changes += _table_changes(con, table, skipped)
    return changes


def _same_file(old: PublishedVersion, new: PublishedVersion, table: str) -> bool:
    """Byte-identical Parquet files hold the same rows: most marts of a refresh, skipped without a query."""
    a, b = (v.path / PARQUET / f"{table}.parquet" for v in (old, new))
    return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()


def parquet_rows(path: Path) -> tuple[list[str], list[dict]]:
    """A Parquet file's column names and its rows as dicts."""
    with duckdb.connect() as con:
        cursor = con.execute("SELECT * FROM read_parquet(?)", [str(path)])
        columns = [d[0] for d in cursor.description]
        return columns, [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _inspection_changes(
    con: duckdb.DuckDBPyConnection, old_tables: list[str], new_tables: list[str]
) -> tuple[list[Change], set[str]]:
    if INSPECTIONS not in old_tables or INSPECTIONS not in new_tables:
        return [], set()
    old_ids = {r[0] for r in con.execute(f"SELECT {INSPECTION_ID} FROM o_{INSPECTIONS}").fetchall()}
    new_ids = {r[0] for r in con.execute(f"SELECT {INSPECTION_ID} FROM n_{INSPECTIONS}").fetchall()}
    added, removed = sorted(new_ids - old_ids), sorted(old_ids - new_ids)
    changes = [Change("inspection added", i, INSPECTIONS, f"{INSPECTION_ID}={i}") for i in added]
    changes += [Change("inspection removed", i, INSPECTIONS, f"{INSPECTION_ID}={i}") for i in removed]
    if SOURCE_HASH in _columns(con, f"o_{INSPECTIONS}") and SOURCE_HASH in _columns(con, f"n_{INSPECTIONS}"):
        rows = con.execute(
            f"SELECT n.{INSPECTION_ID}, o.{SOURCE_HASH}, n.{SOURCE_HASH} FROM o_{INSPECTIONS} o "
            f"JOIN n_{INSPECTIONS} n USING ({INSPECTION_ID}) WHERE o.{SOURCE_HASH} IS DISTINCT FROM n.{SOURCE_HASH} "
            "ORDER BY 1"
        ).fetchall()
        changes += [
            Change("source changed", i, INSPECTIONS, f"{INSPECTION_ID}={i}", SOURCE_HASH, a, b) for i, a, b in rows
        ]
    return changes, set(added) | set(removed)


def _columns(con: duckdb.DuckDBPyConnection, view: str) -> list[str]:
    return [r[0] for r in con.execute(f"DESCRIBE {view}").fetchall()]


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _table_changes(con: duckdb.DuckDBPyConnection, table: str, skipped: set[str]) -> list[Change]:
    old_columns, new_columns = _columns(con, f"o_{table}"), _columns(con, f"n_{table}")
    changes = [Change("column added", None, table, "", c) for c in new_columns if c not in old_columns]
    changes += [Change("column removed", None, table, "", c) for c in old_columns if c not in new_columns]
    shared = [c for c in new_columns if c in old_columns]
    key = row_key(table, shared)
    compared = [c for c in shared if c not in key and c not in PROVENANCE]
    on = " AND ".join(f"o.{_q(k)} IS NOT DISTINCT FROM n.{_q(k)}" for k in key)
    inspection = INSPECTION_ID if INSPECTION_ID in shared else None
    keys = ", ".join(_q(k) for k in key)
    order = ", ".join(f"{i + 1} NULLS LAST" for i in range(len(key)))
    pick = f", {_q(inspection)}" if inspection else ", NULL"
    rows: list[tuple[str, tuple]] = []
    for kind, first, second in (("row added", "n", "o"), ("row removed", "o", "n")):
        sql = (
            f"SELECT {keys}{pick} FROM {first}_{table} AS {first} ANTI JOIN {second}_{table} AS {second} ON {on} "
            f"ORDER BY {order}"
        )
        rows += [(kind, row) for row in con.execute(sql).fetchall()]
    for kind, row in rows:
        if table != INSPECTIONS and row[-1] not in skipped:
            changes.append(Change(kind, row[-1], table, _label(key, row)))
    if compared:
        # One row per changed cell: the join once, then each compared column where the two differ.
        selected = [f"n.{_q(k)} AS k{i}" for i, k in enumerate(key)]
        selected += [f"n.{_q(inspection)} AS insp" if inspection else "NULL AS insp"]
        selected += [f"o.{_q(c)} AS o{i}, n.{_q(c)} AS n{i}" for i, c in enumerate(compared)]
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE joined AS SELECT {', '.join(selected)} FROM o_{table} o JOIN n_{table} n ON {on}"
        )
        key_cols = ", ".join(f"k{i}" for i in range(len(key)))
        cells = " UNION ALL ".join(
            f"SELECT {key_cols}, insp, {i} AS pos, CAST(o{i} AS VARCHAR) AS old, CAST(n{i} AS VARCHAR) AS new "
            f"FROM joined WHERE o{i} IS DISTINCT FROM n{i}"
            for i in range(len(compared))
        )
        for row in con.execute(f"SELECT * FROM ({cells}) ORDER BY {order}, pos").fetchall():
            *key_values, insp, pos, old_value, new_value = row
            label = _label(key, (*key_values, insp))
            changes.append(Change("value changed", insp, table, label, compared[pos], old_value, new_value))
    return changes


def _label(key: list[str], row: tuple) -> str:
    return ", ".join(f"{c}={'null' if v is None else _text(v)}" for c, v in zip(key, row[: len(key)], strict=True))


def _text(value: object) -> str | None:
    """One spelling per value, as in the package's CSV files: ISO dates, true/false, null as None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def as_rows(changes: list[Change]) -> list[tuple]:
    return [astuple(c) for c in changes]


def changes_markdown(
    changes: list[Change], old: PublishedVersion | None, new: PublishedVersion, no_previous: str | None = None
) -> str:
    """CHANGES.md: a count per kind of change, then one table row per change.

    Without `old`, `no_previous` says why (default: this is the first version).
    """
    if old is None:
        reason = no_previous or "The first version: there is no earlier version to compare with."
        return f"# Changes in version {new.id}\n\n{reason}\n"
    lines = [f"# Changes in version {new.id}", "", f"Compared with version {old.id}.", ""]
    if not changes:
        return "\n".join([*lines, "No inspection was added or removed and no value changed.", ""])
    counts = {kind: sum(c.kind == kind for c in changes) for kind in KINDS}
    lines += [f"- {kind}: {n}" for kind, n in counts.items() if n]
    lines += ["", "| change | inspection | table | row | field | old | new |", "|---|---|---|---|---|---|---|"]
    for c in changes:
        has_values = c.kind in {"value changed", "source changed"}
        values = [_null(c.old) if has_values else "", _null(c.new) if has_values else ""]
        cells = [_cell(v) for v in (c.kind, c.inspection_id, c.table, c.key, c.field)] + values
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join([*lines, ""])


def _null(value: str | None) -> str:
    return "*null*" if value is None else _cell(value)


def _cell(value: str | None) -> str:
    if value is None:
        return ""
    return value.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")
