"""What changed between two serving versions' marts: inspections added or removed, values changed.

A row is identified by its mart's key (schema.row_key): the same key in both versions is the same row, and
each column whose value differs is one change. Columns that record where and when a report was read
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
    """Changes from `old` to `new`, inspections first, then mart by mart in publish order."""
    old_tables, new_tables = list(old.row_counts), list(new.row_counts)
    old_rows = {t: _read(old.path, t) for t in old_tables}
    new_rows = {t: _read(new.path, t) for t in new_tables}
    ids_old = {row[INSPECTION_ID] for row in old_rows.get(INSPECTIONS, ({}, []))[1]}
    ids_new = {row[INSPECTION_ID] for row in new_rows.get(INSPECTIONS, ({}, []))[1]}
    added, removed = ids_new - ids_old, ids_old - ids_new
    changes = [Change("inspection added", i, INSPECTIONS, f"{INSPECTION_ID}={i}") for i in sorted(added)]
    changes += [Change("inspection removed", i, INSPECTIONS, f"{INSPECTION_ID}={i}") for i in sorted(removed)]
    changes += _source_changes(old_rows.get(INSPECTIONS), new_rows.get(INSPECTIONS))
    changes += [Change("table added", None, t, "") for t in new_tables if t not in old_rows]
    changes += [Change("table removed", None, t, "") for t in old_tables if t not in new_rows]
    for table in [t for t in new_tables if t in old_rows]:
        changes += _table_changes(table, old_rows[table], new_rows[table], added | removed)
    return changes


def _read(folder: Path, table: str) -> tuple[list[str], list[dict]]:
    return parquet_rows(folder / PARQUET / f"{table}.parquet")


def parquet_rows(path: Path) -> tuple[list[str], list[dict]]:
    """A Parquet file's column names and its rows as dicts."""
    with duckdb.connect() as con:
        cursor = con.execute("SELECT * FROM read_parquet(?)", [str(path)])
        columns = [d[0] for d in cursor.description]
        return columns, [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _source_changes(old: tuple | None, new: tuple | None) -> list[Change]:
    if old is None or new is None:
        return []
    before = {row[INSPECTION_ID]: row.get(SOURCE_HASH) for row in old[1]}
    return [
        Change("source changed", i, INSPECTIONS, f"{INSPECTION_ID}={i}", SOURCE_HASH, before[i], row.get(SOURCE_HASH))
        for row in sorted(new[1], key=lambda r: r[INSPECTION_ID])
        if (i := row[INSPECTION_ID]) in before and before[i] != row.get(SOURCE_HASH)
    ]


def _table_changes(table: str, old: tuple, new: tuple, skipped: set[str]) -> list[Change]:
    (old_columns, old_rows), (new_columns, new_rows) = old, new
    key = row_key(table, [c for c in new_columns if c in old_columns])
    changes = [Change("column added", None, table, "", c) for c in new_columns if c not in old_columns]
    changes += [Change("column removed", None, table, "", c) for c in old_columns if c not in new_columns]
    compared = [c for c in new_columns if c in old_columns and c not in key and c not in PROVENANCE]
    before = {tuple(row[c] for c in key): row for row in old_rows}
    after = {tuple(row[c] for c in key): row for row in new_rows}
    # Nulls last in each key column; values of one column share a type, so they compare directly.
    for row_id in sorted(
        before.keys() | after.keys(), key=lambda k: tuple((v is None, "" if v is None else v) for v in k)
    ):
        label = ", ".join(f"{c}={_text(v)}" for c, v in zip(key, row_id, strict=True))
        a, b = before.get(row_id), after.get(row_id)
        inspection = (b or a).get(INSPECTION_ID)
        if a is None or b is None:
            if table != INSPECTIONS and inspection not in skipped:
                changes.append(Change("row added" if a is None else "row removed", inspection, table, label))
            continue
        changes += [
            Change("value changed", inspection, table, label, c, _text(a[c]), _text(b[c]))
            for c in compared
            if _text(a[c]) != _text(b[c])
        ]
    return changes


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


def changes_markdown(changes: list[Change], old: PublishedVersion | None, new: PublishedVersion) -> str:
    """CHANGES.md: a count per kind of change, then one table row per change."""
    if old is None:
        return f"# Changes in version {new.id}\n\nThe first version: there is no earlier version to compare with.\n"
    lines = [f"# Changes in version {new.id}", "", f"Compared with version {old.id}.", ""]
    if not changes:
        return "\n".join([*lines, "No inspection was added or removed and no value changed.", ""])
    counts = {kind: sum(c.kind == kind for c in changes) for kind in KINDS}
    lines += [f"- {kind}: {n}" for kind, n in counts.items() if n]
    lines += ["", "| change | inspection | table | row | field | old | new |", "|---|---|---|---|---|---|---|"]
    for c in changes:
        values = [_null(c.old) if c.kind == "value changed" else "", _null(c.new) if c.kind == "value changed" else ""]
        cells = [_cell(v) for v in (c.kind, c.inspection_id, c.table, c.key, c.field)] + values
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join([*lines, ""])


def _null(value: str | None) -> str:
    return "*null*" if value is None else _cell(value)


def _cell(value: str | None) -> str:
    if value is None:
        return ""
    return value.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")
