"""Opening a serving copy for reading.

The marts sit in the default schema of `marts.duckdb`, whose catalog DuckDB names `marts`: both
`marts.<table>` and a bare `<table>` work, as they do against the working warehouse.
"""

from __future__ import annotations

from pathlib import Path

import duckdb


def open_marts(db: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to a serving copy (no lock, no WAL beside the served file)."""
    return duckdb.connect(str(db), read_only=True)
