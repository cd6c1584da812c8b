"""What a published version was built from and what it holds, so that a refresh with nothing new does nothing.

Two fingerprints are recorded in each version's version.json:

- `inputs`: the current content, status and presence of every landing file (and the parser version that read
  it), the inspections forgotten on purpose, the dbt project as in its source files, and the warehouse's
  location. `inspections run` compares it
  (with the landing folder as it is now) before starting any Dagster run: when nothing changed, no run is
  created, nothing is parsed or built, and every check keeps its last result.
- `marts`: the published marts' columns and rows. A run that rebuilt identical marts (a UI launch on an
  unchanged warehouse) publishes no new version.

No Dagster import here.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb

from config.dbt_sources import dbt_source_files
from config.settings import DBT_PROJECT_DIR
from ingestion.load.loader import pending_changes_now
from serving.publish import PublishedVersion, list_versions

INPUTS = "inputs"
MARTS = "marts"


def inputs_fingerprint(con: duckdb.DuckDBPyConnection, warehouse: Path) -> str:
    digest = hashlib.sha256(str(warehouse.resolve()).encode())
    try:
        rows = con.execute(
            "SELECT file_path, content_sha256, status, present, parser_version FROM raw.report_files ORDER BY 1"
        ).fetchall()
    except duckdb.CatalogException:
        rows = []  # marts built from elsewhere than this loader: nothing to compare with
    digest.update(repr(rows).encode())
    try:  # an inspection forgotten (or brought back) on purpose changes the marts as surely as a file does
        forgotten = con.execute("SELECT inspection_id FROM raw.forgotten_inspections ORDER BY 1").fetchall()
    except duckdb.CatalogException:
        forgotten = []
    digest.update(repr(forgotten).encode())
    for path in dbt_source_files(DBT_PROJECT_DIR):
        digest.update(path.relative_to(DBT_PROJECT_DIR).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def marts_fingerprint(con: duckdb.DuckDBPyConnection, tables: list[str]) -> str:
    """Columns, types and rows (in any order) of each mart."""
    digest = hashlib.sha256()
    for table in tables:
        columns = con.execute(f"DESCRIBE marts.{table}").fetchall()
        rows = con.execute(
            f"SELECT count(*), md5(coalesce(string_agg(h, ',' ORDER BY h), '')) "
            f"FROM (SELECT md5(CAST(t AS VARCHAR)) AS h FROM marts.{table} AS t)"
        ).fetchone()
        digest.update(repr((table, [column[:2] for column in columns], rows)).encode())
    return digest.hexdigest()


def marts_are_built(con: duckdb.DuckDBPyConnection) -> bool:
    count = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'marts'").fetchone()[0]
    return count > 0


def newest_version(serving_dir: Path) -> PublishedVersion | None:
    versions = list_versions(serving_dir)
    return versions[-1] if versions else None


def unchanged_since(warehouse: Path, landing: Path, serving_dir: Path) -> PublishedVersion | None:
    """The newest published version when a refresh would find nothing to do, else None.

    Nothing to do: the landing folder holds exactly the files the raw tables hold, and the raw tables, parser
    and dbt project are those the newest version was built from. Read-only; the caller holds the refresh lock.
    """
    newest = newest_version(serving_dir)
    if newest is None or INPUTS not in newest.fingerprints or not warehouse.is_file():
        return None
    try:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            if not marts_are_built(con) or pending_changes_now(con, landing):
                return None
            fingerprint = inputs_fingerprint(con, warehouse)
    except duckdb.Error:
        return None  # a warehouse this version cannot read: let the refresh say what is wrong
    return newest if fingerprint == newest.fingerprints[INPUTS] else None
