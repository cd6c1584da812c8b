"""What a published refresh was built from, so that a refresh with nothing new can stop early.

The fingerprint covers everything the marts are derived from: the current content, status and
presence of every landing file (and the parser version that read them), the dbt project as
in its source files, and the warehouse's location. The serving copy records it when it
publishes; the raw-tables asset compares it after loading and, when nothing changed, ends the run
there (dbt, checks and the publish would rebuild identical marts). No Dagster import here.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb

from config.dbt_sources import dbt_source_files
from config.settings import DBT_PROJECT_DIR, serving_dir

FINGERPRINT_KEY = "inputs_fingerprint"


def inputs_fingerprint(con: duckdb.DuckDBPyConnection, warehouse: Path) -> str:
    digest = hashlib.sha256(str(warehouse.resolve()).encode())
    try:
        rows = con.execute(
            "SELECT file_path, content_sha256, status, present, parser_version FROM raw.report_files ORDER BY 1"
        ).fetchall()
    except duckdb.CatalogException:
        rows = []  # marts built from elsewhere than this loader: nothing to compare with
    digest.update(repr(rows).encode())
    for path in dbt_source_files(DBT_PROJECT_DIR):
        digest.update(path.relative_to(DBT_PROJECT_DIR).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def marts_are_built(con: duckdb.DuckDBPyConnection) -> bool:
    count = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'marts'").fetchone()[0]
    return count > 0 and (serving_dir() / "marts.duckdb").exists()
