"""Recommendations: grouped under "<recipient> should:", numbered across groups.

The conversion sometimes loses a number (or the bullet): numbers are then inferred
from the order, and each inference is reported as a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingestion.document import Block, BlockKind
from ingestion.model import Recommendation
from ingestion.parse.text_patterns import find_heading

_HEADING = re.compile(r"^Recommendations(?:\s*\(Back to top\))?$", re.IGNORECASE)
_NEXT_SECTION = re.compile(r"^(Background|Contextual facts|Introduction|Annexe|1\.\s+Organisational)\b", re.IGNORECASE)
_RECIPIENT = re.compile(r"^(?P<recipient>.{2,120}?)\s+should\s*:?$", re.IGNORECASE)
_NUMBERED = re.compile(r"^(?P<number>\d{1,2})\s*[.)]\s*(?P<text>\S.*)$", re.DOTALL)


@dataclass
class RecommendationsResult:
    items: list[Recommendation]
    notes: list[str]  # warnings: inferred or out-of-order numbers


def recipient_level(recipient: str, pdu: str) -> str:
    text = recipient.lower()
    if "hmpps" in text or "prison and probation service" in text:
        return "HMPPS"
    if re.search(r"\bpdu\b|probation delivery unit", text) or (pdu and pdu.lower() in text):
        return "PDU"
    if re.search(r"\bregion(al)?\b", text):
        return "Region"
    return "Other"


def read_recommendations(blocks: list[Block], pdu: str) -> RecommendationsResult:
    start = find_heading(blocks, _HEADING)
    if start is None:
        return RecommendationsResult([], ["no Recommendations section found"])
    end = find_heading(blocks, _NEXT_SECTION, start + 1) or len(blocks)
    items: list[Recommendation] = []
    notes: list[str] = []
    recipient: str | None = None
    for block in blocks[start + 1 : end]:
        text = " ".join(block.text.split())
        if block.kind is not BlockKind.LIST_ITEM and (m := _RECIPIENT.match(text)):
            recipient = m.group("recipient").strip()
            continue
        if recipient is None:
            continue  # the introduction before the first recipient
        numbered = _NUMBERED.match(text)
        if block.kind is BlockKind.TABLE_ROW and not numbered:
            continue  # a table row is a recommendation only as "<number> | <text>"
        if block.kind is BlockKind.PARAGRAPH and not numbered:
            if items and text[:1].islower():
                items[-1].text = f"{items[-1].text} {text}"  # wrapped across a page break
            continue
        expected = items[-1].number + 1 if items else 1
        if numbered:
            number, body = int(numbered.group("number")), numbered.group("text").strip()
            if number != expected:
                notes.append(f"recommendation numbered {number} where {expected} was expected")
        else:
            number, body = expected, text
            notes.append(f"recommendation {number} has no printed number: inferred from its order")
        items.append(
            Recommendation(number=number, recipient=recipient, level=recipient_level(recipient, pdu), text=body)
        )
    return RecommendationsResult(items, notes)
