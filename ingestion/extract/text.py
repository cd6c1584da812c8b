"""Plain-text and markdown conversions of reports -> Document.

Text conversions of the PDFs come in several layouts: tab-separated table rows,
markdown pipe tables, bullets marked "-", "•" or lost (a leading space), and paragraphs
wrapped over several lines. This module maps all of them onto blocks.
"""

from __future__ import annotations

import re

from ingestion.document import Block, BlockKind, Document
from ingestion.errors import ExtractionError

_BULLET = re.compile(r"^\s*(?:[-•●▪■◦*\u2022\u25cf\uf0b7\uf0a7]|\u2013)\s+")
_PIPE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-*:?\s*)*\|?\s*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
_INLINE_MARKUP = re.compile(r"\*\*|__|</?u>|</?b>|</?i>|</?strong>|</?em>")


def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise ExtractionError("binary file: not a text conversion of a report")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    sample = text[:20000]
    if len(_CONTROL.findall(sample)) > 0.05 * len(sample):
        raise ExtractionError("binary or garbled content: not a text conversion of a report")
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")


def _table_cells(line: str) -> list[str] | None:
    stripped = line.strip()
    if stripped.startswith("|") and stripped.count("|") >= 2:
        inner = stripped[1:-1] if stripped.endswith("|") else stripped[1:]
        return inner.split("|")
    if "\t" in line.strip(" "):
        cells = line.split("\t")
        while cells and not cells[-1].strip():
            cells.pop()
        return cells if len(cells) >= 2 else None
    return None


def _lines_to_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    gap = False
    for raw_line in _INLINE_MARKUP.sub("", text).split("\n"):
        line = raw_line.rstrip()
        if not line.strip():
            gap = True
            continue
        if "|" in line and _PIPE_SEPARATOR.match(line):
            continue  # markdown table rule line: carries no content
        cells = _table_cells(line)
        previous = blocks[-1] if blocks else None
        if cells is not None:
            blocks.append(Block.row(cells, gap))
        elif _BULLET.match(line):
            blocks.append(Block(BlockKind.LIST_ITEM, _BULLET.sub("", line).strip(), gap_before=gap))
        elif previous is not None and not gap and previous.kind is not BlockKind.TABLE_ROW:
            # A wrapped line: it continues the block above it.
            blocks[-1] = Block(previous.kind, f"{previous.text} {line.strip()}", previous.cells, previous.gap_before)
        elif line.startswith((" ", "\t")) and line.strip()[:1].isupper():
            # After a gap, an indented sentence is a bullet whose marker the conversion lost.
            blocks.append(Block(BlockKind.LIST_ITEM, line.strip(), gap_before=gap))
        else:
            blocks.append(Block(BlockKind.PARAGRAPH, line.strip(), gap_before=gap))
        gap = False
    return blocks


def extract_text(data: bytes) -> Document:
    return Document(_lines_to_blocks(_decode(data)), source_format="text")


def extract_markdown(data: bytes) -> Document:
    text = _decode(data)
    # Markdown headings become plain lines: the parser recognises headings by their words.
    text = re.sub(r"(?m)^#{1,6}\s+", "", text)
    return Document(_lines_to_blocks(text), source_format="markdown")
