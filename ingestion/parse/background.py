"""Background section: exact fieldwork start date, cases inspected, interviews with practitioners."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingestion.document import Block
from ingestion.parse.text_patterns import MONTH_NAME, find_heading, joined, month_number

_HEADING = re.compile(r"^Background(?:\s*\(Back to top\))?$", re.IGNORECASE)
_START_DATE = re.compile(
    r"(?:beginning|starting|commencing)(?:\s+on)?\s+(\d{1,2})(?:st|nd|rd|th)?\s+" + MONTH_NAME + r"\s+(\d{4})",
    re.IGNORECASE,
)
# "We inspected 45 cases where..." or "We inspected 25 community orders and 16 releases on licence...".
_INSPECTED = re.compile(
    r"\b(?:inspected|examined|reviewed)\s+(?P<clause>\d[^.]*?)(?:\s+where\b|\s+that\b|\s+which\b|\.)", re.IGNORECASE
)
_COUNT = re.compile(r"\b(\d{1,4})\s+(?=[a-z])")
_INTERVIEWS = re.compile(r"\b(\d{1,4})\s+(?:\w+\s+){0,2}interviews\b|\binterviewed\s+(\d{1,4})\b", re.IGNORECASE)


@dataclass
class Background:
    fieldwork_start_date: str | None
    cases_inspected: int | None
    interviews: int | None


def read_background(blocks: list[Block]) -> Background:
    start = find_heading(blocks, _HEADING)
    # Background prose sits in the first paragraphs after its heading; fall back to the whole text.
    text = joined(blocks[start + 1 : start + 12]) if start is not None else joined(blocks)
    date = _START_DATE.search(text)
    inspected = _INSPECTED.search(text)
    interviews = _INTERVIEWS.search(text)
    return Background(
        fieldwork_start_date=(
            f"{int(date.group(3)):04d}-{month_number(date.group(2)):02d}-{int(date.group(1)):02d}" if date else None
        ),
        cases_inspected=sum(int(n) for n in _COUNT.findall(inspected.group("clause"))) if inspected else None,
        interviews=int(interviews.group(1) or interviews.group(2)) if interviews else None,
    )
