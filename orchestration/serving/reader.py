"""Opening a serving copy for reading without the `marts` name clash.

DuckDB names a database's catalog after its file, so a client opening `marts.duckdb` gets a catalog
`marts` next to the schema `marts`, and `marts.inspections` fails as ambiguous. Attaching the file
under another alias avoids the clash; `marts.<table>` and bare `<table>` then both work.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

ALIAS = "serving"


def open_marts(db: Path, alias: str = ALIAS) -> duckdb.DuckDBPyConnection:
    """A connection that reads `db` read-only as catalog `alias`, schema `marts` first on the search path."""
    con = duckdb.connect()  # in-memory host: no lock or WAL beside the served file
    try:
        con.execute(f"ATTACH ? AS {alias} (READ_ONLY)", [str(db)])
        con.execute(f"USE {alias}.marts")
    except Exception:
        con.close()
        raise
    return con
