"""A footnote under a standard's findings is no finding, whatever glyph its marker was drawn with."""

from __future__ import annotations

import pytest

from ingestion.document import Block, BlockKind
from ingestion.parse.findings import read_findings

NOTE = "The rating for the standard is driven by the score for the key question."


@pytest.mark.parametrize("marker", ["³", "3", "\ufffd"])
def test_a_footnote_after_the_findings_is_not_a_finding(marker: str) -> None:
    blocks = [
        Block(BlockKind.PARAGRAPH, "Strengths:"),
        Block(BlockKind.LIST_ITEM, "Staff were well supported."),
        Block(BlockKind.PARAGRAPH, "Areas for improvement:"),
        Block(BlockKind.LIST_ITEM, "Too few cases were reviewed."),
        Block(BlockKind.PARAGRAPH, f"{marker} {NOTE}"),
    ]
    findings = read_findings(blocks)
    assert findings.strengths == ["Staff were well supported."]
    assert findings.improvements == ["Too few cases were reviewed."]


def test_an_unreadable_glyph_before_other_text_is_kept() -> None:
    # Only a marker before a note's "The ..." is taken for a footnote.
    blocks = [
        Block(BlockKind.PARAGRAPH, "Areas for improvement:"),
        Block(BlockKind.LIST_ITEM, "\ufffd Waiting times were long."),
    ]
    assert read_findings(blocks).improvements == ["\ufffd Waiting times were long."]
