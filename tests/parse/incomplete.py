"""A report read only in part, as the tests of the completeness gate need it."""

from __future__ import annotations

from ingestion.extract.text import extract_text
from tests.conftest import SAMPLE_FILES
from tests.extract.builders import build_reportlab_pdf
from tests.parse.variants import replace_once

LOST = "Does planning focus sufficiently on keeping other people safe?\t33%"


def incomplete_pdf() -> bytes:
    """Dorset as a PDF whose Planning standard (2.3) shows only two of its three key-question percentages."""
    text = replace_once(SAMPLE_FILES["dorset"].read_text(encoding="utf-8"), LOST, "")
    return build_reportlab_pdf(extract_text(text.encode("utf-8")))
