"""PDF reports -> Document. Placeholder until the PDF extractor lands."""

from ingestion.document import Document
from ingestion.errors import ExtractionError


def extract_pdf(data: bytes) -> Document:
    raise ExtractionError("PDF reports are not supported yet")
