"""Every PDF of the matrix that is not read field for field is held back by the gate, never published."""

from __future__ import annotations

import pytest

from ingestion.parse import parse_file
from ingestion.parse.validate import quarantine_reason
from tests.extract.pdf_matrix import differences
from tests.extract.pdf_producers import FIXTURES
from tests.extract.test_producer_matrix import KNOWN_FAILURES


@pytest.mark.parametrize(("producer", "name"), sorted(KNOWN_FAILURES), ids="-".join)
def test_a_pdf_read_wrong_is_quarantined(producer: str, name: str) -> None:
    diff, _ = differences(producer, name)
    assert diff, "read field for field: remove it from KNOWN_FAILURES"
    assert quarantine_reason(parse_file(FIXTURES / producer / f"{name}.pdf")) is not None
