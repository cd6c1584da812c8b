"""The layout-neutral document every extractor produces and the parser reads.

A report, whatever its file format, becomes an ordered list of blocks: paragraphs,
headings, list items and table rows (cells). Extractors decide how their format maps
onto blocks; the parser never looks at tabs, pipes, HTML tags or PDF coordinates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

# (field, message): a warning or problem about one field of a report, as the extractors, parser and checks say it.
FieldMessage = tuple[str, str]


class BlockKind(StrEnum):
    HEADING = "heading"  # only formats that know their headings (HTML) emit these
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"  # a bullet; its marker is removed from `text`
    TABLE_ROW = "table_row"  # `cells` holds the row; `text` joins them with spaces


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str
    cells: tuple[str, ...] = ()
    # A visible gap (blank line, separate list, page break) precedes this block.
    # The parser uses it to split finding lists whose second heading was lost.
    gap_before: bool = False

    @staticmethod
    def row(cells: list[str] | tuple[str, ...], gap_before: bool = False) -> Block:
        cleaned = tuple(c.strip() for c in cells)
        return Block(
            BlockKind.TABLE_ROW,
            " ".join(c for c in cleaned if c),
            cleaned,
            gap_before,
        )


@dataclass
class Document:
    blocks: list[Block] = field(default_factory=list)
    source_format: str = "text"  # text | markdown | html | pdf
    # What the extractor noticed about the file itself, e.g. bytes that were not UTF-8.
    warnings: list[FieldMessage] = field(default_factory=list)

    def text(self) -> str:
        """All block texts, one per line: handy for whole-document searches."""
        return "\n".join(b.text for b in self.blocks)
