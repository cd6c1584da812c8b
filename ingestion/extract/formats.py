"""The one registry of report file formats: suffixes, extractor and relative parse cost.

Extraction chooses the extractor here and the loader reads which files to scan, what to call their
format in `raw.report_files.source_format` and how much parsing a batch is (to decide whether to start
worker processes). A new format is one entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ingestion.document import Document
from ingestion.extract.limits import Deadline, FileLimits

# (bytes, deadline, the file's limits) -> Document
Extractor = Callable[[bytes, Deadline, FileLimits], Document]


# Extractors import their format's module lazily, so reading a .txt never pays for the PDF library.
def _text(data: bytes, deadline: Deadline, limits: FileLimits) -> Document:
    from ingestion.extract import text

    return text.extract_text(data, deadline)


def _markdown(data: bytes, deadline: Deadline, limits: FileLimits) -> Document:
    from ingestion.extract import text

    return text.extract_markdown(data, deadline)


def _html(data: bytes, deadline: Deadline, limits: FileLimits) -> Document:
    from ingestion.extract import html

    return html.extract_html(data, deadline)


def _pdf(data: bytes, deadline: Deadline, limits: FileLimits) -> Document:
    from ingestion.extract import pdf

    return pdf.extract_pdf(data, time_budget=limits.seconds)  # the PDF backend keeps its own clock


@dataclass(frozen=True)
class ReportFormat:
    name: str  # as stored in source_format
    label: str  # as named in messages ("PDF extraction exceeded ...")
    suffixes: tuple[str, ...]
    extractor: Extractor
    # Seconds one core takes to parse a typical report (docs/benchmark.md, parse throughput): only used
    # to decide whether a batch is worth starting worker processes for.
    parse_seconds: float


FORMATS: tuple[ReportFormat, ...] = (
    ReportFormat("text", "text", (".txt",), _text, 0.002),
    ReportFormat("markdown", "markdown", (".md",), _markdown, 0.0025),
    ReportFormat("html", "HTML", (".html", ".htm"), _html, 0.015),
    ReportFormat("pdf", "PDF", (".pdf",), _pdf, 0.15),
)
BY_SUFFIX: dict[str, ReportFormat] = {suffix: f for f in FORMATS for suffix in f.suffixes}
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(BY_SUFFIX)


def format_of(path: Path) -> ReportFormat | None:
    """The format a file is read as, by its suffix (any case); None for a file the project does not read."""
    return BY_SUFFIX.get(path.suffix.lower())
