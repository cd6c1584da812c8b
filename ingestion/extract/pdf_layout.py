"""Positioned words on PDF pages -> Document blocks.

PDFs carry no paragraphs, lists or tables, only glyphs at positions. This module rebuilds them:
words are grouped into lines by their vertical position, lines are cut into cells at large
horizontal gaps, runs of multi-cell lines become tables (rows split at drawn rules, or at
larger vertical gaps where a table has no rules), bullet glyphs start list items, and other
lines are joined into paragraphs until a vertical gap. Running headers, footers and page
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

BULLETS = frozenset("•●▪■◦\u2022\u25aa\u25cf\uf0b7\uf0a7\uf0d8\uf076")
# Dashes also start ordinary wrapped lines ("– South West region"), so they count as bullets
# only when set apart from the text like a bullet glyph.
DASH_BULLETS = frozenset("-–")

# Thresholds, as multiples of the font size: ordinary word spaces are ~0.3 em, table cells are
# separated by padding on both sides (well over half an em), and paragraphs by extra leading.
CELL_GAP_EM = 0.8
PARAGRAPH_GAP_EM = 0.45
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
class Rule:
    """A horizontal line or rectangle edge: the usual separator of table rows."""

    y: float
    x0: float
    x1: float


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
        segments: list[list[Word]] = [[row[0]]]
        for word in row[1:]:
            if word.x0 - segments[-1][-1].x1 > CELL_GAP_EM * size:
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

    rules_by_page: list[tuple[Rule, ...]]
    body_bottom: float
    blocks: list[Block] = field(default_factory=list)
    table: list[Line] = field(default_factory=list)
    table_gap: bool = False
    prev: Line | None = None
    item_indent: float | None = None  # x where the current list item's text starts

    def _rule_between(self, upper: Line, lower: Line) -> bool:
        if upper.page != lower.page:
            return True
        x0, x1 = lower.x0, lower.segments[-1][-1].x1
        return any(
            upper.bottom - 1 <= r.y <= lower.top + 1 and r.x0 < x1 and r.x1 > x0 for r in self.rules_by_page[lower.page]
        )

    def _enclosed_below(self, line: Line) -> bool:
        x0, x1 = line.x0, line.segments[-1][-1].x1
        reach = line.bottom + 2 * (line.bottom - line.top)
        return any(line.bottom - 1 <= r.y <= reach and r.x0 < x1 and r.x1 > x0 for r in self.rules_by_page[line.page])

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
        if self.body_bottom - prev.bottom > 1.5 * pitch:
            return True
        if line.is_bullet or line.is_multi_cell or self.table:
            return False
        if self.item_indent is not None and abs(line.x0 - self.item_indent) < 2:
            return False
        return bool(_SENTENCE_END.search(prev.text))

    def feed(self, line: Line) -> None:
        gap = self._gap_before(line)
        if self.table and self._continues_table(line, gap):
            self.table.append(line)
        else:
            self._flush_table()
            if line.is_multi_cell:
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
        last = self.table[-1]
        if line.is_bullet:
            return False
        if line.is_multi_cell:
            return not gap or self._rule_between(last, line) or line.page != last.page
        # A single-cell line is the wrapped rest of a cell, or a row with one filled cell inside ruled borders.
        if not gap:
            return True
        return line.page == last.page and self._rule_between(last, line) and self._enclosed_below(line)

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
        for i, cells in enumerate(_table_rows(self.table, self.rules_by_page)):
            self.blocks.append(Block.row(cells, gap_before=self.table_gap and i == 0))
        self.table = []

    def finish(self) -> list[Block]:
        self._flush_table()
        return self.blocks


def _continue(text: str, more: str) -> str:
    # A word hyphenated at the line end keeps its hyphen but loses the line break.
    if text.endswith("-") and not text.endswith(" -") and more[:1].islower():
        return text + more
    return f"{text} {more}"


def _columns(lines: Sequence[Line]) -> list[float]:
    """Left edges of the table's columns, clustered from the cells of its lines."""
    starts = sorted(seg[0].x0 for ln in lines for seg in ln.segments)
    columns: list[float] = []
    for x in starts:
        if not columns or x - columns[-1] > 4:
            columns.append(x)
    return columns


def _table_rows(lines: Sequence[Line], rules_by_page: list[tuple[Rule, ...]]) -> list[list[str]]:
    columns = _columns(lines)
    has_rules = any(rules_by_page[ln.page] for ln in lines)
    rows: list[list[list[str]]] = []
    prev: Line | None = None
    for line in lines:
        if prev is None:
            new_row = True
        elif has_rules:
            new_row = _between_rules(prev, line, rules_by_page)
        else:
            # Without drawn rules, rows are told apart by a larger gap than the one between wrapped lines.
            new_row = line.top - prev.bottom > PARAGRAPH_GAP_EM * line.size / 2 or prev.page != line.page
        if new_row:
            rows.append([[] for _ in columns])
        for seg in line.segments:
            col = max(i for i, x in enumerate(columns) if x <= seg[0].x0 + 4)
            rows[-1][col].append(_join(seg))
        prev = line
    result = []
    for row in rows:
        cells = [" ".join(parts) for parts in row]
        while cells and not cells[-1]:
            cells.pop()  # trailing empty cells carry nothing, as in the text conversions
        result.append(cells)
    return result


def _between_rules(upper: Line, lower: Line, rules_by_page: list[tuple[Rule, ...]]) -> bool:
    if upper.page != lower.page:
        return True
    return any(upper.bottom - 1 <= r.y <= lower.top + 1 for r in rules_by_page[lower.page])


def pages_to_blocks(pages: Sequence[Page]) -> list[Block]:
    lines_per_page = _drop_running_text(pages, [_build_lines(p, i) for i, p in enumerate(pages)])
    bottoms = [lines[-1].bottom for lines in lines_per_page if lines]
    builder = _Builder([p.rules for p in pages], max(bottoms, default=0.0))
    for line in _flatten(lines_per_page):
        builder.feed(line)
    return builder.finish()


def _flatten(lines_per_page: Iterable[list[Line]]) -> Iterable[Line]:
    for lines in lines_per_page:
        yield from lines
