"""Positioned words on PDF pages -> Document blocks.

PDFs carry no paragraphs, lists or tables, only glyphs at positions. This module rebuilds them:
words are grouped into lines by their vertical position, lines are cut into cells at large
horizontal gaps, lines with several cells or inside drawn cell borders become tables
(pdf_tables), bullet glyphs start list items, and other lines are joined into paragraphs
until a vertical gap. Running headers, footers and page
numbers are dropped. Coordinates are top-down (y grows towards the page bottom), in points.
It is independent of the PDF library: each backend only has to produce `Page`s.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from statistics import median

from ingestion.document import Block, BlockKind
from ingestion.extract.pdf_tables import Grid, Rule, table_rows

BULLETS = frozenset("•●▪■◦\u2022\u25aa\u25cf\uf0b7\uf0a7\uf0d8\uf076")
# Dashes also start ordinary wrapped lines ("– South West region"), so they count as bullets
# only when set apart from the text like a bullet glyph.
DASH_BULLETS = frozenset("-–")

# Thresholds, as multiples of the font size: ordinary word spaces are ~0.3 em, table cells are
# separated by padding on both sides (well over half an em), and paragraphs by extra leading.
CELL_GAP_EM = 0.8
PARAGRAPH_GAP_EM = 0.45
FORCED_BREAK_SHARE = 0.2  # a page ending this far above the usual bottom was broken on purpose
MARGIN_SHARE = 0.09  # top/bottom share of the page where running headers and footers live
_PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?:;)]$")


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    words: tuple[Word, ...]
    rules: tuple[Rule, ...] = ()


@dataclass
class Line:
    segments: list[list[Word]]  # cells of the line, left to right
    top: float
    bottom: float
    size: float
    page: int

    @property
    def x0(self) -> float:
        return self.segments[0][0].x0

    @property
    def text(self) -> str:
        return " ".join(_join(seg) for seg in self.segments)

    @property
    def is_bullet(self) -> bool:
        first = self.segments[0]
        if first[0].text[0] in BULLETS:
            return len(first[0].text) > 1 or len(first) > 1 or len(self.segments) > 1
        return first[0].text in DASH_BULLETS and len(first) == 1 and len(self.segments) > 1

    @property
    def is_multi_cell(self) -> bool:
        return len(self.segments) >= 2 and not self.is_bullet


def _join(words: Sequence[Word]) -> str:
    return " ".join(w.text for w in words)


def _build_lines(page: Page, index: int) -> list[Line]:
    words = sorted(page.words, key=lambda w: ((w.top + w.bottom) / 2, w.x0))
    rows: list[list[Word]] = []
    for word in words:
        centre = (word.top + word.bottom) / 2
        if rows:
            last = rows[-1]
            last_centre = median((w.top + w.bottom) / 2 for w in last)
            if abs(centre - last_centre) <= 0.5 * min(word.bottom - word.top, last[0].bottom - last[0].top):
                last.append(word)
                continue
        rows.append([word])
    lines = []
    for row in rows:
        row.sort(key=lambda w: w.x0)
        size = median(w.size for w in row)
        gaps = [b.x0 - a.x1 for a, b in zip(row, row[1:], strict=False)]
        # Justified text stretches every space of a line alike; table cells leave a few uneven gaps.
        justified = len(gaps) >= 3 and max(gaps) < 1.6 * max(min(gaps), 0.1)
        segments: list[list[Word]] = [[row[0]]]
        for word, gap in zip(row[1:], gaps, strict=True):
            if gap > CELL_GAP_EM * size and not justified:
                segments.append([word])
            else:
                segments[-1].append(word)
        lines.append(Line(segments, min(w.top for w in row), max(w.bottom for w in row), size, index))
    return lines


def _running_key(line: Line) -> str:
    return re.sub(r"\d+", "#", line.text.lower()).strip()


def _drop_running_text(pages: Sequence[Page], lines_per_page: list[list[Line]]) -> list[list[Line]]:
    """Remove page numbers and headers/footers repeated on many pages, only inside the page margins."""

    def in_margin(line: Line) -> bool:
        height = pages[line.page].height
        return line.bottom < MARGIN_SHARE * height or line.top > (1 - MARGIN_SHARE) * height

    counts = Counter(_running_key(ln) for lines in lines_per_page for ln in {_running_key(x): x for x in lines}.values()
                     if in_margin(ln))
    threshold = max(2, len(pages) // 2)
    return [
        [ln for ln in lines if not (in_margin(ln) and (_PAGE_NUMBER.match(ln.text) or counts[_running_key(ln)] >= threshold))]
        for lines in lines_per_page
    ]


@dataclass
class _Builder:
    """Turns the ordered lines of the whole document into blocks."""

    grids: list[Grid]
    body_bottom: float
    text_right: float
    blocks: list[Block] = field(default_factory=list)
    table: list[Line] = field(default_factory=list)
    table_gap: bool = False
    prev: Line | None = None
    item_indent: float | None = None  # x where the current list item's text starts

    def _tabular(self, line: Line) -> bool:
        return line.is_multi_cell or (not line.is_bullet and self.grids[line.page].enclosed(line))

    def _gap_before(self, line: Line) -> bool:
        prev = self.prev
        if prev is None:
            return True
        if prev.page != line.page:
            return self._page_break_is_gap(prev, line)
        return line.top - prev.bottom > PARAGRAPH_GAP_EM * min(prev.size, line.size)

    def _page_break_is_gap(self, prev: Line, line: Line) -> bool:
        # A page break only counts as a gap when it is visible: the previous page stopped short
        # of the usual bottom, or the text before it ended a sentence and a new paragraph starts.
        pitch = prev.bottom - prev.top
        if line.is_bullet or line.is_multi_cell or self.table:
            # Lists and tables flow on over page breaks; only a page left far from full marks a new one.
            return self.body_bottom - prev.bottom > FORCED_BREAK_SHARE * self.body_bottom
        if self.body_bottom - prev.bottom > 1.5 * pitch:
            return True
        # Text runs on over the break only from a line filled to the right margin.
        if prev.segments[-1][-1].x1 < self.text_right - 6 * prev.size:
            return True
        if self.item_indent is not None and abs(line.x0 - self.item_indent) < 2:
            return False
        return bool(_SENTENCE_END.search(prev.text))

    def feed(self, line: Line) -> None:
        gap = self._gap_before(line)
        if self.table and self._continues_table(line, gap):
            self.table.append(line)
        else:
            self._flush_table()
            if self._tabular(line):
                self.table, self.table_gap, self.item_indent = [line], gap, None
            elif line.is_bullet:
                words = [w for seg in line.segments for w in seg]
                marker, words = words[0], words[1:]
                text = " ".join(filter(None, [marker.text[1:].strip(), _join(words)]))
                self.item_indent = words[0].x0 if words else marker.x1
                self.blocks.append(Block(BlockKind.LIST_ITEM, text, gap_before=gap))
            else:
                self._text_line(line, gap)
        self.prev = line

    def _continues_table(self, line: Line, gap: bool) -> bool:
        if line.is_bullet:
            return False
        last = self.table[-1]
        if self._tabular(line):
            return not gap or line.page != last.page or self.grids[line.page].boundary_between(last, line)
        # Outside drawn borders, a single-cell line right under the table is the wrapped rest of a cell.
        return not gap and line.page == last.page

    def _text_line(self, line: Line, gap: bool) -> None:
        previous = self.blocks[-1] if self.blocks else None
        continues = (
            previous is not None
            and not gap
            and previous.kind in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM)
            and not (previous.kind is BlockKind.LIST_ITEM and self.item_indent is not None
                     and line.x0 < self.item_indent - 2 and line.page == (self.prev.page if self.prev else -1))
        )
        if continues and previous is not None:
            self.blocks[-1] = Block(previous.kind, _continue(previous.text, line.text), gap_before=previous.gap_before)
            return
        self.item_indent = None
        self.blocks.append(Block(BlockKind.PARAGRAPH, line.text, gap_before=gap))

    def _flush_table(self) -> None:
        if not self.table:
            return
        for i, cells in enumerate(table_rows(self.table, self.grids, PARAGRAPH_GAP_EM)):
            gap = self.table_gap and i == 0
            if len(cells) == 1:
                # A row with one filled cell (a merged title row) reads as a line of text, as in the text conversions.
                self.blocks.append(Block(BlockKind.PARAGRAPH, cells[0], gap_before=gap))
            else:
                self.blocks.append(Block.row(cells, gap_before=gap))
        self.table = []

    def finish(self) -> list[Block]:
        self._flush_table()
        return self.blocks


def _continue(text: str, more: str) -> str:
    # A word hyphenated at the line end keeps its hyphen but loses the line break.
    if text.endswith("-") and not text.endswith(" -") and more[:1].islower():
        return text + more
    return f"{text} {more}"


def pages_to_blocks(pages: Sequence[Page]) -> list[Block]:
    lines_per_page = _drop_running_text(pages, [_build_lines(p, i) for i, p in enumerate(pages)])
    bottoms = [lines[-1].bottom for lines in lines_per_page if lines]
    rights = [ln.segments[-1][-1].x1 for lines in lines_per_page for ln in lines]
    builder = _Builder([Grid(p.rules) for p in pages], max(bottoms, default=0.0), median(rights) if rights else 0.0)
    for line in _flatten(lines_per_page):
        builder.feed(line)
    return builder.finish()


def _flatten(lines_per_page: Iterable[list[Line]]) -> Iterable[Line]:
    for lines in lines_per_page:
        yield from lines
