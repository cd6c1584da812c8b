"""Where a release comes from: the parser and dbt project fingerprints, and each inspection's source file.

A report's URL comes from the fetch manifest (`.fetch-manifest.json` in the landing folder, written by
`inspections fetch`): an entry names the URL it downloaded and the SHA-256 of what it saved. An inspection
gets that URL only when the SHA-256 of the file it was parsed from equals the entry's, i.e. its bytes are
exactly what was fetched; a report copied in by hand, or edited after the download, has no URL.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from config.dbt_sources import dbt_source_files
from config.settings import DBT_PROJECT_DIR, PROJECT_ROOT
from ingestion import PARSER_VERSION
from ingestion.fetch.manifest import MANIFEST_NAME, Manifest
from serving.release.schema import contract_files

INGESTION = PROJECT_ROOT / "ingestion"
# What turns a report file into a parsed record: everything in ingestion except fetching and loading.
NOT_PARSER = ("fetch", "load")
SOURCE_FIELDS = ["inspection_id", "source_file", "source_format", "content_sha256", "url", "page_url", "fetched_at"]


def files_sha256(files: Iterable[Path], root: Path) -> str:
    """One SHA-256 over the files' paths (relative to root) and bytes, in the given order."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def fingerprints() -> dict[str, str]:
    parser_files = sorted(p for p in INGESTION.rglob("*.py") if p.relative_to(INGESTION).parts[0] not in NOT_PARSER)
    return {
        "parser_version": PARSER_VERSION,
        "parser_sha256": files_sha256(parser_files, PROJECT_ROOT),
        "dbt_project_sha256": files_sha256(dbt_source_files(DBT_PROJECT_DIR), PROJECT_ROOT),
        "contract_sha256": files_sha256(contract_files(), PROJECT_ROOT),
    }


def fetched_by_sha256(reports_dir: Path) -> tuple[dict[str, dict], str]:
    """Fetch-manifest entries keyed by the SHA-256 of the file they saved, and a note on the manifest."""
    if not (reports_dir / MANIFEST_NAME).is_file():
        return {}, f"no {MANIFEST_NAME} in the landing folder: no report was fetched there"
    try:
        manifest = Manifest.load(reports_dir)
    except (OSError, ValueError, TypeError) as exc:
        # The release is still written, and says why it has no URLs, rather than blocking the publish.
        return {}, f"{MANIFEST_NAME} could not be read ({exc}): no URLs recorded"
    entries = {
        e.sha256: {"url": e.url, "page_url": e.page_url, "fetched_at": e.fetched_at}
        for e in manifest.entries.values()
        if e.sha256 and e.status == "ok"
    }
    return entries, f"URLs from {MANIFEST_NAME}, matched on SHA-256"


def source_rows(inspections: list[dict], fetched: dict[str, dict]) -> list[dict]:
    rows = []
    for row in sorted(inspections, key=lambda r: r["inspection_id"]):
        entry = fetched.get(row.get("content_sha256") or "", {})
        rows.append({name: row.get(name, entry.get(name)) for name in SOURCE_FIELDS})
    return rows
