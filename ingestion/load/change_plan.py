"""The change plan of a sync: what the raw tables already hold, and which landing files need parsing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from ingestion.extract.formats import format_of
from ingestion.extract.limits import MAX_FILE_MB_ENV, TIME_BUDGET_ENV, FileLimits, file_limits
from ingestion.load.landing_scan import landing_entries
from ingestion.load.raw_tables import RAW_SCHEMA
from ingestion.load.secure_read import read_landing_file


def known_files(con: duckdb.DuckDBPyConnection, parser_version: str) -> dict[str, tuple[str, str]]:
    """Paths whose current content was handled by this parser version: (sha, status)."""
    rows = con.execute(
        f"SELECT file_path, content_sha256, status, parser_version FROM {RAW_SCHEMA}.report_files"
    ).fetchall()
    return {path: (sha, status if version == parser_version else "stale") for path, sha, status, version in rows}


def retry_where_limits_changed(
    con: duckdb.DuckDBPyConnection, known: dict[str, tuple[str, str]], limits: FileLimits
) -> dict[str, tuple[str, str]]:
    """Files quarantined for a size or time limit other than the one in force are read again."""
    rows = con.execute(
        f"SELECT q.file_path, q.content_sha256, q.reason FROM {RAW_SCHEMA}.quarantine AS q "
        f"JOIN {RAW_SCHEMA}.report_files AS f USING (file_path, content_sha256) "
        f"WHERE f.status = 'quarantined' AND (q.reason LIKE '%({MAX_FILE_MB_ENV})%' OR q.reason LIKE '%({TIME_BUDGET_ENV})%')"
    ).fetchall()
    retry = {path for path, _, reason in rows if not limits.set_the_limit_of(reason)}
    return {path: (sha, "stale" if path in retry else status) for path, (sha, status) in known.items()}


@dataclass
class Scanned:
    """A landing file as the scan saw it (its bytes are not kept: they are read again to be parsed)."""

    path: Path
    relative: str
    sha: str = ""
    size: int = 0
    unread_reason: str | None = None  # over the size limit: quarantined unread
    skip_reason: str | None = None  # not a file the loader reads (link out, gone since the scan)
    key: int | None = None  # set when it went to the parse pool


def scan(reports_dir: Path, root: Path, limits: FileLimits) -> list[Scanned]:
    items = []
    for path, skip_reason in landing_entries(reports_dir):
        item = Scanned(path, path.relative_to(reports_dir).as_posix(), skip_reason=skip_reason)
        if skip_reason is None:
            read_into(item, root, limits)
        items.append(item)
    return items


def read_into(item: Scanned, root: Path, limits: FileLimits) -> bytes | None:
    """Read the file, recording its hash and size on `item` (or why it is not read); returns its bytes."""
    try:
        data, item.sha, item.size, item.unread_reason = read_landing_file(item.path, root, limits)
    except OSError as error:  # removed, or swapped for a link, since the scan
        item.skip_reason = f"could not be read: {error.strerror or error}"
        return None
    return data


class Plan:
    """What the sync already knows: which files need parsing, and how much parsing that is."""

    def __init__(self, known: dict[str, tuple[str, str]], parsed_shas: set[str]) -> None:
        self.known, self.parsed_shas = known, parsed_shas

    def unchanged(self, item: Scanned) -> bool:
        previous = self.known.get(item.relative)
        # Same content as already loaded (here or under another name): nothing to parse.
        return bool(previous and previous[0] == item.sha and previous[1] != "stale") or item.sha in self.parsed_shas

    def to_parse(self, item: Scanned) -> bool:
        return item.skip_reason is None and item.unread_reason is None and not self.unchanged(item)

    def estimated_seconds(self, items: list[Scanned]) -> float:
        return sum(_parse_seconds(item.path) for item in items if self.to_parse(item))


def _parse_seconds(path: Path) -> float:
    report_format = format_of(path)
    return report_format.parse_seconds if report_format else 0.0


def pending_changes(con: duckdb.DuckDBPyConnection, reports_dir: Path, parser_version: str) -> list[str]:
    """Landing files a sync would write rows for (new, changed, gone or back), without writing anything.

    Empty when a sync would leave the raw tables as they are: `inspections run` then needs no run at all.
    """
    limits = file_limits()
    known = retry_where_limits_changed(con, known_files(con, parser_version), limits)
    present = {
        row[0] for row in con.execute(f"SELECT file_path FROM {RAW_SCHEMA}.report_files WHERE present").fetchall()
    }
    items = [item for item in scan(reports_dir, reports_dir.resolve(), limits) if item.skip_reason is None]
    changed = [
        item.relative
        for item in items
        if item.relative not in present
        or item.sha != known.get(item.relative, ("", ""))[0]
        or known[item.relative][1] == "stale"
    ]
    return changed + sorted(present - {item.relative for item in items})
