"""One landing file's bytes -> its raw-table rows, or the reason it is quarantined.

The same function runs in the sync's own process and in the parse workers (parse_worker.py), so both
paths give the same rows and the same quarantine reasons. No DuckDB or Arrow here: a worker stays light.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from ingestion.errors import ReportError
from ingestion.extract.limits import FileLimits
from ingestion.load.rows import Row, report_rows
from ingestion.parse import parse_bytes
from ingestion.parse.validate import quarantine_reason

# (rows per raw table, None) for a parsed file, (None, one-line reason) for a quarantined one.
ParseOutcome = tuple[dict[str, list[Row]] | None, str | None]


def parse_one(path: Path, relative: str, data: bytes, limits: FileLimits) -> ParseOutcome:
    """Rows of a parsed file, or the one-line reason it was quarantined."""
    try:
        report = parse_bytes(path, data, limits)
    except ReportError as error:
        return None, error.reason
    except Exception as error:  # a parser bug (or MemoryError) must quarantine one file, not stop the run
        return None, f"parser error: {type(error).__name__}: {error}"
    if reason := quarantine_reason(report):
        # Contradicting or missing numbers would fail the blocking mart checks (holding back every other
        # report's publish) or be published half-read: this file waits in quarantine, with the reason.
        return None, reason
    report.source_file = relative
    return report_rows(report, datetime.now(UTC).replace(tzinfo=None)), None
