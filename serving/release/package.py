"""Write a serving version as a Frictionless data package, and zip it for publication.

Layout, inside the version folder (so the package is switched, kept and pruned with its version):

    versions/<id>/package/datapackage.json   descriptor: licence, attribution, version, fingerprints, resources
    versions/<id>/package/CHANGES.md         what changed since the version that was current before
    versions/<id>/package/data/<mart>.csv    one tabular resource per published mart (Table Schema inside)
    versions/<id>/package/data/<mart>.parquet   the same data as Parquet (a file resource; hard link to parquet/)
    versions/<id>/package/data/sources.csv   per inspection: source file, SHA-256, URL where it was fetched
    versions/<id>/package/data/changes.csv   CHANGES.md as a table

Only JSON, DuckDB and the standard library are needed to write it: Frictionless is a test dependency.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import zipfile
from pathlib import Path

import duckdb

from config import settings
from serving.publish import PARQUET, PublishedVersion, current_version
from serving.release.diff import CHANGE_FIELDS, KINDS, as_rows, changes_markdown, diff_versions, parquet_rows
from serving.release.provenance import SOURCE_FIELDS, fetched_by_sha256, fingerprints, source_rows
from serving.release.schema import contract_marts, table_schema

PACKAGE_DIR = "package"
DESCRIPTOR = "datapackage.json"
CHANGES_MD = "CHANGES.md"
DATA = "data"
PACKAGE_NAME = "hmi-probation-pdu-inspections"
LICENCE = {
    "name": "OGL-UK-3.0",
    "title": "Open Government Licence v3.0",
    "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}
ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0. "
    "Source: HM Inspectorate of Probation, inspection reports of probation delivery units (PDUs)."
)
SOURCE = {
    "title": "HM Inspectorate of Probation: PDU inspection reports",
    "path": "https://www.justiceinspectorates.gov.uk/hmiprobation/",
}
_TEXT_SCHEMA = {"missingValues": [""]}


class ReleaseError(RuntimeError):
    """A release could not be written or found."""


def package_path(version: PublishedVersion) -> Path:
    return version.path / PACKAGE_DIR


def write_staged_package(staging: Path, serving_dir: Path) -> Path:
    """The publish's call: the package of the version staged in `staging`, compared with the current version."""
    try:
        previous, no_previous = current_version(serving_dir), None
    except (OSError, ValueError, KeyError) as exc:
        # A dangling or damaged `current` must not stop a publish; the package says it compared with nothing.
        previous, no_previous = None, f"The version current before this one could not be read ({exc}): no comparison."
    return write_package(PublishedVersion.load(staging), previous, no_previous=no_previous)


def write_package(
    version: PublishedVersion,
    previous: PublishedVersion | None,
    reports_dir: Path | None = None,
    no_previous: str | None = None,
) -> Path:
    """Write the package of `version` (its folder holds the published Parquet files) and return its folder.

    `previous` is the version that was current before this one: CHANGES.md and the `changes` resource
    compare with it (`no_previous` says why there is none, when not the first version). `reports_dir`
    (default: the landing folder) holds the fetch manifest with the URLs.
    """
    folder = package_path(version)
    data = folder / DATA
    data.mkdir(parents=True)
    tables = list(version.row_counts)
    resources = []
    with duckdb.connect() as con:
        for table in tables:
            resources += _mart_resources(con, version, table, tables, data)
    inspections = parquet_rows(version.path / PARQUET / "inspections.parquet")[1] if "inspections" in tables else []
    fetched, manifest_note = fetched_by_sha256(Path(reports_dir or settings.reports_dir()))
    sources = source_rows(inspections, fetched)
    _write_csv(data / "sources.csv", SOURCE_FIELDS, [[row[f] for f in SOURCE_FIELDS] for row in sources])
    resources.append(_resource(folder, "sources", "data/sources.csv", _sources_schema(tables), SOURCES_TEXT))
    changes = diff_versions(previous, version) if previous is not None else []
    _write_csv(data / "changes.csv", CHANGE_FIELDS, as_rows(changes))
    resources.append(_resource(folder, "changes", "data/changes.csv", _changes_schema(), _changes_text(previous)))
    (folder / CHANGES_MD).write_text(changes_markdown(changes, previous, version, no_previous), encoding="utf-8")
    descriptor = {
        "name": PACKAGE_NAME,
        "title": "HMI Probation PDU inspections",
        "description": "Ratings, key-question scores, recommendations and findings of HM Inspectorate of "
        "Probation's inspections of probation delivery units, read from the published reports.",
        "version": version.id,
        "created": version.created,
        "licenses": [LICENCE],
        "sources": [SOURCE],
        "attribution": ATTRIBUTION,
        "previous_version": previous.id if previous else None,
        "fingerprints": fingerprints(),
        "fetch_manifest": manifest_note,
        "row_counts": version.row_counts,
        "resources": resources,
    }
    (folder / DESCRIPTOR).write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    _fsync_files(folder)  # durable before the publish switches to the version
    return folder


def _mart_resources(
    con: duckdb.DuckDBPyConnection, version: PublishedVersion, table: str, tables: list[str], data: Path
) -> list[dict]:
    parquet = version.path / PARQUET / f"{table}.parquet"
    described = con.execute(f"DESCRIBE SELECT * FROM read_parquet({_quote(parquet)})").fetchall()
    described_columns = [(row[0], row[1]) for row in described]
    schema = table_schema(table, described_columns, tables)
    names = ", ".join(_csv_cell(name, duckdb_type) for name, duckdb_type in described_columns)
    # Columns in the schema's order; ISO 8601 dates and timestamps; null as an empty cell.
    con.execute(
        f"COPY (SELECT {names} FROM read_parquet({_quote(parquet)})) TO {_quote(data / f'{table}.csv')} "
        "(FORMAT csv, HEADER true, DATEFORMAT '%Y-%m-%d', TIMESTAMPFORMAT '%Y-%m-%dT%H:%M:%S.%f')"
    )
    _link_or_copy(parquet, data / f"{table}.parquet")
    description = contract_marts()[table].description if table in contract_marts() else ""
    folder = data.parent
    return [
        _resource(folder, table, f"{DATA}/{table}.csv", schema, description),
        {
            **_file_entry(folder, f"{DATA}/{table}.parquet"),
            "name": f"{table}-parquet",
            "type": "file",  # Frictionless then checks its bytes and hash; the tabular twin is the CSV
            "format": "parquet",
            "mediatype": "application/vnd.apache.parquet",
            "description": f"{table} as Parquet (same rows and columns as {table}.csv).",
        },
    ]


SOURCES_TEXT = (
    "One row per inspection: the report file its published row was parsed from, that file's SHA-256 and, "
    "where the file is exactly what `inspections fetch` downloaded, the report's URL and page."
)


def _sources_schema(tables: list[str]) -> dict:
    descriptions = {
        "inspection_id": "Inspection key.",
        "source_file": "File name of the report in the landing folder.",
        "source_format": "Format of that file (txt, md, html, pdf).",
        "content_sha256": "SHA-256 of the file's bytes.",
        "url": "URL the file was fetched from; empty when it was not fetched, or changed since.",
        "page_url": "Web page of the report, where fetched.",
        "fetched_at": "When the file was downloaded (ISO 8601), where fetched.",
    }
    fields = [{"name": n, "type": "string", "description": descriptions[n]} for n in SOURCE_FIELDS]
    fields[0]["constraints"] = {"required": True, "unique": True}
    schema = {"fields": fields, **_TEXT_SCHEMA, "primaryKey": ["inspection_id"]}
    if "inspections" in tables:
        reference = {"resource": "inspections", "fields": ["inspection_id"]}
        schema["foreignKeys"] = [{"fields": ["inspection_id"], "reference": reference}]
    return schema


def _changes_schema() -> dict:
    descriptions = {
        "kind": "What changed (see CHANGES.md).",
        "inspection_id": "Inspection the change belongs to; empty for marts not about one inspection.",
        "table": "Mart (resource) the change is in.",
        "key": "The row, as column=value pairs of the mart's key.",
        "field": "Column that changed.",
        "old": "Value in the previous version (as in the CSV files).",
        "new": "Value in this version.",
    }
    fields = [{"name": n, "type": "string", "description": descriptions[n]} for n in CHANGE_FIELDS]
    fields[0]["constraints"] = {"required": True, "enum": KINDS}
    return {"fields": fields, **_TEXT_SCHEMA}


def _changes_text(previous: PublishedVersion | None) -> str:
    against = f"version {previous.id}" if previous else "nothing (the first version)"
    return f"What changed since the version that was current before this one: {against}."


def _resource(folder: Path, name: str, path: str, schema: dict, description: str) -> dict:
    return {
        "name": name,
        **_file_entry(folder, path),
        "type": "table",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": {"header": True, "delimiter": ","},
        "description": description,
        "schema": schema,
    }


def _file_entry(folder: Path, path: str) -> dict:
    content = (folder / path).read_bytes()
    return {"path": path, "bytes": len(content), "hash": f"sha256:{hashlib.sha256(content).hexdigest()}"}


def _write_csv(path: Path, header: list[str], rows: list) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows([["" if v is None else v for v in row] for row in rows])


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)  # both are immutable once published: one copy on disk
    except OSError:
        shutil.copy2(source, target)


def _fsync_files(folder: Path) -> None:
    for path in [*sorted(p for p in folder.rglob("*") if p.is_file()), folder / DATA, folder]:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _csv_cell(name: str, duckdb_type: str) -> str:
    column = '"' + name.replace('"', '""') + '"'
    if duckdb_type.upper() == "TIMESTAMP WITH TIME ZONE":
        # The session's time zone must not decide the text: UTC, marked Z.
        return f"strftime(timezone('UTC', {column}), '%Y-%m-%dT%H:%M:%S.%fZ') AS {column}"
    return column


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"  # COPY takes no bound parameter


def zip_package(version: PublishedVersion, out_dir: Path) -> Path:
    """`<out_dir>/<package name>-<version id>.zip` with datapackage.json at its root."""
    folder = package_path(version)
    if not (folder / DESCRIPTOR).is_file():
        raise ReleaseError(
            f"version {version.id} has no data package (it was published before releases existed); "
            "the next refresh publishes one with its package"
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{PACKAGE_NAME}-{version.id}.zip"
    tmp = target.with_name(f".{target.name}.tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            archive.write(path, path.relative_to(folder).as_posix())
    os.replace(tmp, target)  # a half-written zip never carries the final name
    return target
