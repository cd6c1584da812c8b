"""A PDF of the matrix not read field for field is never published with a wrong value.

Either the gate holds it back, or what differs is only missing (an optional field not read, kept
as a warning): a missing value misleads no one, a wrong one would.
"""

from __future__ import annotations

import pytest

from ingestion.parse import parse_file
from ingestion.parse.validate import quarantine_reason
from tests.extract.pdf_matrix import differences
from tests.extract.pdf_producers import FIXTURES
from tests.extract.test_producer_matrix import KNOWN_FAILURES

PROSE = (".strengths", ".improvements")


@pytest.mark.parametrize(
    ("producer", "name"), sorted(KNOWN_FAILURES), ids=[f"{p}-{n}" for p, n in sorted(KNOWN_FAILURES)]
)
def test_a_pdf_read_wrong_is_quarantined(producer: str, name: str) -> None:
    diff, _ = differences(producer, name)
    assert diff, "read field for field: remove it from KNOWN_FAILURES"
    # Findings are prose: a word read with a stray hyphen is no wrong value (docs/pdf-extraction.md).
    wrong = {f: values for f, values in diff.items() if values[1] is not None and not f.endswith(PROSE)}
    if wrong:
        assert quarantine_reason(parse_file(FIXTURES / producer / f"{name}.pdf")) is not None, wrong
