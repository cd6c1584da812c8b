"""Plain-text and markdown conversions of reports -> Document.

Text conversions of the PDFs come in several layouts: tab-separated table rows,
markdown pipe tables, bullets marked "-", "•" or lost (a leading space), and paragraphs
wrapped over several lines. This module maps all of them onto blocks, in time linear in the file.
"""

from __future__ import annotations

import re

from ingestion.document import Block, BlockKind, Document
from ingestion.errors import ExtractionError
from ingestion.extract.decode import decode_text
from ingestion.extract.limits import Deadline

_BULLET = re.compile(r"^\s*(?:[-•●▪■◦*\u2022\u25cf\uf0b7\uf0a7]|\u2013)\s+")
_PIPE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-*:?\s*)*\|?\s*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
_INLINE_MARKUP = re.compile(r"\*\*|__|</?u>|</?b>|</?i>|</?strong>|</?em>")


def _decode(data: bytes) -> tuple[str, list[tuple[str, str]]]:
    if b"\x00" in data[:4096]:
        raise ExtractionError("binary file: not a text conversion of a report")
    text, warnings = decode_text(data)
    sample = text[:20000]
    if len(_CONTROL.findall(sample)) > 0.05 * len(sample):
        raise ExtractionError("binary or garbled content: not a text conversion of a report")
    # No-break spaces become spaces before the lines are read: an indented line's indentation must count.
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " "), warnings


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


class _Blocks:
    """Blocks in order; the last paragraph or bullet stays open while wrapped lines continue it.

    Its lines are kept as a list and joined once when it closes: joining on every line made a long
    paragraph without blank lines quadratic (a 4 MB one took minutes).
    """

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self._open: tuple[BlockKind, bool] | None = None  # kind and gap_before of the open block
        self._lines: list[str] = []

    @property
    def open_text_block(self) -> bool:
        return self._open is not None

    def close(self) -> None:
        if self._open is not None:
            kind, gap = self._open
            self.blocks.append(Block(kind, " ".join(self._lines), gap_before=gap))
            self._open, self._lines = None, []

    def start(self, kind: BlockKind, text: str, gap: bool) -> None:
        self.close()
        self._open, self._lines = (kind, gap), [text]

    def continue_with(self, text: str) -> None:
        self._lines.append(text)

    def row(self, cells: list[str], gap: bool) -> None:
        self.close()
        self.blocks.append(Block.row(cells, gap))


def _lines_to_blocks(text: str, deadline: Deadline) -> list[Block]:
    out = _Blocks()
    gap = False
    for raw_line in _INLINE_MARKUP.sub("", text).split("\n"):
        deadline.tick()
        line = raw_line.rstrip()
        if not line.strip():
            gap = True
            continue
        if "|" in line and _PIPE_SEPARATOR.match(line):
            continue  # markdown table rule line: carries no content
        cells = _table_cells(line)
        if cells is not None:
            out.row(cells, gap)
        elif _BULLET.match(line):
            out.start(BlockKind.LIST_ITEM, _BULLET.sub("", line).strip(), gap)
        elif out.open_text_block and not gap:
            out.continue_with(line.strip())  # a wrapped line: it continues the block above it
        elif line.startswith((" ", "\t")) and line.strip()[:1].isupper():
            # After a gap, an indented sentence is a bullet whose marker the conversion lost.
            out.start(BlockKind.LIST_ITEM, line.strip(), gap)
        else:
            out.start(BlockKind.PARAGRAPH, line.strip(), gap)
        gap = False
    out.close()
    return out.blocks


def extract_text(data: bytes, deadline: Deadline | None = None) -> Document:
    text, warnings = _decode(data)
    blocks = _lines_to_blocks(text, deadline or Deadline("text extraction", float("inf")))
    return Document(blocks, source_format="text", warnings=warnings)


def extract_markdown(data: bytes, deadline: Deadline | None = None) -> Document:
    text, warnings = _decode(data)
    # Markdown headings become plain lines: the parser recognises headings by their words.
    text = re.sub(r"(?m)^#{1,6}\s+", "", text)
    blocks = _lines_to_blocks(text, deadline or Deadline("markdown extraction", float("inf")))
    return Document(blocks, source_format="markdown", warnings=warnings)
