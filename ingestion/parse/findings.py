"""Strengths and areas for improvement of a section.

A section may hold several labelled groups (the standard itself, then sub-sections such as
"Resettlement work"). Each group starts at a "Strengths" label. The "Areas for improvement"
label is often lost in conversion, leaving only a gap between the two bullet lists: without
the label, the first gap followed by a bullet starts the improvements. Bullets outside any
labelled group are not classified (they cannot be told apart), which the README documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingestion.document import Block, BlockKind
from ingestion.parse.text_patterns import SUPERSCRIPTS

_STRENGTHS = re.compile(r"^Strengths?\s*:?$", re.IGNORECASE)
_IMPROVEMENTS = re.compile(r"^Areas?\s+for\s+improvement\s*:?$", re.IGNORECASE)
_QUOTE = re.compile(r"^[\"“‘']")
_RUNNING_TITLE = re.compile(r"^(?:An\s+)?inspection of .{0,40}services in\b", re.IGNORECASE)
# A footnote's marker: a superscript, a digit, or a glyph a PDF left without Unicode (U+FFFD: the
# superscript digits of a font re-embedded by a print driver), before the note's "The rating ...".
_FOOTNOTE = re.compile(rf"^(?:[{SUPERSCRIPTS}]+|(?:\d{{1,2}}|\ufffd{{1,2}})\s+(?=The\b))")


@dataclass
class Findings:
    strengths: list[str] = field(default_factory=list)
    improvements: list[str] = field(default_factory=list)
    ambiguous_groups: int = 0  # label-less groups with more than two lists: the split is a guess


def _is_subheading(block: Block) -> bool:
    """A short title such as 'Resettlement work' that closes the current group."""
    text = block.text.strip()
    if block.kind is BlockKind.HEADING:
        return True
    return (
        block.kind is BlockKind.PARAGRAPH
        and len(text.split()) <= 8
        and text[:1].isupper()
        and not text.endswith((".", ",", ";", ":", "?", "!"))
        and not _QUOTE.match(text)
    )


def _is_noise(block: Block) -> bool:
    text = block.text.strip()
    return (
        block.kind is BlockKind.TABLE_ROW
        or bool(_QUOTE.match(text))
        or bool(_FOOTNOTE.match(text))
        or bool(_RUNNING_TITLE.match(text))
        or text.isdigit()
    )


class _Group:
    """One labelled group: collects items, switching to improvements at the label or the first gap."""

    def __init__(self, labelled_improvements: bool) -> None:
        self.labelled_improvements = labelled_improvements
        self.kind = "strength"
        self.items: dict[str, list[str]] = {"strength": [], "improvement": []}
        self.last_was_item = False
        self.lists_after_switch = 0

    def add(self, block: Block) -> None:
        text = " ".join(block.text.split())
        if text[:1].islower() and self.last_was_item:
            target = self.items[self.kind] or self.items["strength"]
            target[-1] = f"{target[-1]} {text}"  # a bullet continued after a page break
            return
        starts_new_list = block.kind is BlockKind.LIST_ITEM and block.gap_before and self.last_was_item
        if starts_new_list and not self.labelled_improvements:
            if self.kind == "strength" and self.items["strength"]:
                self.kind = "improvement"
            self.lists_after_switch += self.kind == "improvement"
        self.items[self.kind].append(text)
        self.last_was_item = True


def _has_improvements_label(blocks: list[Block], start: int) -> bool:
    for block in blocks[start:]:
        text = block.text.strip()
        if _IMPROVEMENTS.match(text):
            return True
        if _STRENGTHS.match(text):
            return False
    return False


def read_findings(blocks: list[Block]) -> Findings:
    findings = Findings()
    group: _Group | None = None

    def close() -> None:
        if group is not None:
            findings.strengths.extend(group.items["strength"])
            findings.improvements.extend(group.items["improvement"])
            findings.ambiguous_groups += group.lists_after_switch > 1

    for i, block in enumerate(blocks):
        text = block.text.strip()
        if _STRENGTHS.match(text):
            close()
            group = _Group(_has_improvements_label(blocks, i + 1))
        elif _IMPROVEMENTS.match(text):
            if group is None:
                group = _Group(True)
            group.kind, group.last_was_item = "improvement", False
        elif group is None or _is_noise(block):
            if group is not None and _QUOTE.match(text):
                group.last_was_item = False
        elif _is_subheading(block):
            close()
            group = None
        elif block.kind in (BlockKind.LIST_ITEM, BlockKind.PARAGRAPH):
            group.add(block)
    close()
    return findings
