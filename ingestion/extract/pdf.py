"""PDF reports -> Document.

Cheap checks on the bytes first (so that broken files fail with a specific reason, fast),
then positioned words from PDFium (pdf_backends) rebuilt into blocks (pdf_layout).
"""

from __future__ import annotations

from collections.abc import Callable

from ingestion.document import Document
from ingestion.errors import ExtractionError
from ingestion.extract.pdf_backends import Budget, pdfium_pages
from ingestion.extract.pdf_geometry import Page
from ingestion.extract.pdf_glyphs import check_readable
from ingestion.extract.pdf_layout import pages_to_blocks

MAX_PAGES = 200  # PDU reports run to ~40 pages; anything far longer is not one
TIME_BUDGET_SECONDS = 60.0

Backend = Callable[[bytes, Budget], list[Page]]


def check_pdf_bytes(data: bytes) -> None:
    head = data[:1024]
    if b"%PDF-" not in head:
        raise ExtractionError("not a PDF file: no %PDF header")
    # Every complete PDF (incremental updates included) ends with an %%EOF marker.
    if b"%%EOF" not in data[-2048:]:
        raise ExtractionError("truncated PDF: the end-of-file marker (%%EOF) is missing")


def extract_pdf(
    data: bytes,
    backend: Backend = pdfium_pages,
    max_pages: int = MAX_PAGES,
    time_budget: float = TIME_BUDGET_SECONDS,
) -> Document:
    check_pdf_bytes(data)
    pages = backend(data, Budget(max_pages, time_budget))
    if not pages:
        raise ExtractionError("PDF has no pages")
    if not any(page.words for page in pages):
        raise ExtractionError(f"PDF has no text layer on any of its {len(pages)} pages (scanned images?): OCR it first")
    warnings = check_readable(word.text for page in pages for word in page.words)
    return Document(pages_to_blocks(pages), source_format="pdf", warnings=warnings)
