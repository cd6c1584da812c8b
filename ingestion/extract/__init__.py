"""Extractors: one per file format, each turning a file into a layout-neutral Document."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ingestion.document import Document
from ingestion.errors import ExtractionError

Extractor = Callable[[bytes], Document]


def _registry() -> dict[str, Extractor]:
    # Imported lazily so that reading a .txt never pays for the PDF library import.
    from ingestion.extract import html, pdf, text

    return {
        ".txt": text.extract_text,
        ".md": text.extract_markdown,
        ".html": html.extract_html,
        ".htm": html.extract_html,
        ".pdf": pdf.extract_pdf,
    }


SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf")


def extract_document(path: Path, data: bytes | None = None) -> Document:
    """Read `path` (or the given bytes of it) into a Document, choosing the extractor by suffix."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ExtractionError(
            f"unsupported file type '{suffix or path.name}' (expected one of {', '.join(SUPPORTED_SUFFIXES)})"
        )
    if data is None:
        data = path.read_bytes()
    if not data.strip():
        raise ExtractionError("empty file")
    return _registry()[suffix](data)
