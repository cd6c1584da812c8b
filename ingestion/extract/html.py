"""HTML reports (new website) -> Document. Placeholder until the HTML extractor lands."""

from ingestion.document import Document
from ingestion.errors import ExtractionError


def extract_html(data: bytes) -> Document:
    raise ExtractionError("HTML reports are not supported yet")
