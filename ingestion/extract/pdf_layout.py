"""Positioned words on PDF pages -> Document blocks.

PDFs carry no paragraphs, lists or tables, only glyphs at positions. This module rebuilds them:
words are grouped into lines by their vertical position, lines are cut into cells at large
horizontal gaps, and gaps between lines are judged against the document's own line spacing
(`Spacing`). Lines with several cells, inside drawn cell borders, or side by side with another
(cells of different heights) become tables (pdf_tables); bullet glyphs, drawn bullets and list
numbers start list items; other lines are joined into paragraphs until a gap. Running headers,
footers and page numbers are dropped. It is independent of the PDF library: each backend only has
to produce `Page`s (pdf_geometry).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from statistics import median

from ingestion.document import Block, BlockKind
from ingestion.extract.pdf_geometry import NUMBER_MARKER, SETTINGS, Line, Page, join_words
from ingestion.extract.pdf_hyphens import Vocabulary
from ingestion.extract.pdf_lines import Spacing, build_lines, drop_running_text
from ingestion.extract.pdf_notes import PageNotes, note_text, page_notes, split_notes
from ingestion.extract.pdf_tables import Grid, table_rows

_SENTENCE_END = re.compile(r"[.!?:;)][\"'\u201d\u2019]?$")
# "11.ensure": a two-digit marker drawn touching its text (LibreOffice's numbered lists).
_GLUED_MARKER = re.compile(r"^(\d{1,2}[.)])([A-Za-z]\S*)$")


@dataclass
class _Builder:
    """Turns the ordered lines of the whole document into blocks."""

    grids: list[Grid]
    spacing: Spacing
    vocabulary: Vocabulary
    body_bottom: float
    text_right: float
    region_right: dict[tuple[int, int], float]  # (page, column) -> right edge of a column of a two-column part
    region_left: dict[tuple[int, int], float]  # (page, column) -> left edge of the region's lines
    paragraph_indent: float | None  # how far the first line of a paragraph is indented, where it is
    notes: dict[tuple[int, int], PageNotes]  # footnotes at the foot of a page or column
    blocks: list[Block] = field(default_factory=list)
    table: list[Line] = field(default_factory=list)
    table_gap: bool = False
    prev: Line | None = None
    item_indent: float | None = None  # x where the current list item's text starts
    para_lines: list[Line] = field(default_factory=list)  # lines of the paragraph block being built
    # (left, right, number) of the marker the next item of a numbered list would have
    next_marker: tuple[float, float, int] | None = None
    para_gap: bool = False
    item_line: Line | None = None  # the first line of the last numbered item
    pending_notes: list[Line] = field(default_factory=list)  # footnotes waiting for the text over the break to end

    def _tabular(self, line: Line) -> bool:
        if line.is_bullet or line.has_marker_cell:
            return False
        return line.is_multi_cell or line.side_by_side or self.grids[line.page].enclosed(line)

    def _numbered_item(self, line: Line) -> bool:
        """A line starting with "1." or "a)" indented from the body: an item of a drawn numbered list."""
        if line.has_marker_cell:
            return True
        first = line.segments[0]
        if len(line.segments) > 1 or len(first) < 2:
            return False
        marker = first[0].text
        if NUMBER_MARKER.match(marker) is None and _GLUED_MARKER.match(marker) is None:
            return False
        if line.x0 > self._margin(line) + 0.5 * line.size:
            return True
        # At the margin (hanging numbers), only the next number of the list above counts: "2. Court work"
        # after recommendation 13 is a heading, "10. ensure" after item 9 is an item.
        expected = self.next_marker
        # Markers line up at their left edge, or at their right one ("9." / "10." set flush right).
        aligned = expected is not None and (abs(line.x0 - expected[0]) <= 2 or abs(first[0].x1 - expected[1]) <= 2)
        return aligned and expected is not None and _marker_number(marker) == expected[2]

    def _left_edge(self, line: Line) -> float:
        """The left edge of `line`'s region (page and column)."""
        return self.region_left.get((line.page, line.column), self.spacing.left)

    def _margin(self, line: Line) -> float:
        """The left margin a line is indented from: the body's, or a right-hand column's own edge."""
        left = self._left_edge(line)
        right_hand = left > self.spacing.left + 0.25 * (self.text_right - self.spacing.left)
        return left if right_hand else self.spacing.left

    def _indent(self, line: Line, x: float) -> float:
        """How far `x` lies in from the left edge of `line`'s region (page and column)."""
        return x - self._left_edge(line)

    def _right_edge(self, line: Line) -> float:
        return self.region_right.get((line.page, line.column), self.text_right)

    def _gap_before(self, line: Line) -> bool:
        prev = self.prev
        if prev is None:
            return True
        if prev.page != line.page or prev.column != line.column:
            return self._page_break_is_gap(prev, line)
        return self.spacing.is_gap(prev, line)

    def _page_break_is_gap(self, prev: Line, line: Line) -> bool:
        # A page break only counts as a gap when it is visible: the previous page stopped short
        # of the usual bottom, or the text before it ended a sentence and a new paragraph starts.
        # A column ends at its own bottom: only a page break is measured against the usual page bottom.
        bottom = self.body_bottom if prev.page != line.page else prev.bottom
        notes = self.notes.get((prev.page, prev.column))
        if notes is not None:
            bottom = min(bottom, notes.rule_top)  # the body ends above the page's footnotes
        right = self._right_edge(prev)
        if line.is_bullet or self._numbered_item(line) or line.is_multi_cell or self.table:
            # Lists and tables flow on over page breaks; only a page left far from full marks a new one.
            return bottom - prev.bottom > SETTINGS.forced_break_share * bottom
        if prev.text.endswith("-") and not prev.text.endswith(" -") and line.text[:1].islower():
            return False  # a word hyphenated across the break
        if bottom - prev.bottom <= 2.5 * self.spacing.pitch(prev) and self._at_item_indent(prev, line):
            return False  # an item goes on in the next column, indented as in the last one
        # Widow and orphan control may carry up to two lines of a paragraph over to the next page.
        if bottom - prev.bottom > 2.5 * self.spacing.pitch(prev):
            return True
        # Text runs on over the break only from a line filled to the right margin (of its column).
        if prev.x1 < right - 6 * prev.size or _next_word_fits(prev, line, right):
            return True
        if self.item_indent is not None and abs(line.x0 - self.item_indent) < 2:
            return False
        return bool(_SENTENCE_END.search(prev.text))

    def _at_item_indent(self, prev: Line, line: Line) -> bool:
        """`line` starts where the current list item's text does, each measured in its own region."""
        return (
            self.item_indent is not None and abs(self._indent(line, line.x0) - self._indent(prev, self.item_indent)) < 2
        )

    def _justified_continuation(self, line: Line, gap: bool) -> bool:
        """Two words of a justified line, far apart, going on a paragraph or item: the line above filled its
        measure, this one fills its own and starts where the block's text does (no table row)."""
        prev, last = self.prev, self.blocks[-1] if self.blocks else None
        if gap or prev is None or self.table or len(line.segments) != 2 or last is None or prev.style != line.style:
            return False
        if last.kind is BlockKind.LIST_ITEM:
            aligned = self._at_item_indent(prev, line)
        else:
            aligned = (
                last.kind is BlockKind.PARAGRAPH and abs(self._indent(line, line.x0) - self._indent(prev, prev.x0)) < 2
            )
        full = abs(prev.x1 - self._right_edge(prev)) <= 1 and abs(line.x1 - self._right_edge(line)) <= 1
        return aligned and full

    def feed(self, line: Line) -> None:
        notes = self.notes.get((line.page, line.column))
        if notes is not None and any(line is note for note in notes.lines):
            self.pending_notes.append(line)  # read where the text running over the break ends
            return
        gap = self._gap_before(line)
        last_note = self.pending_notes[-1] if self.pending_notes else None
        if (
            last_note is not None
            and gap
            and (line.page, line.column) != (last_note.page, last_note.column)
            and not (self.table and self._continues_table(line, gap))
            # Lists and tables under a passage go with it (strengths, then improvements): notes wait.
            and not (line.is_bullet or self._numbered_item(line) or self._tabular(line))
        ):
            self._flush_notes()
        if self.table and self._continues_table(line, gap):
            self.table.append(line)
        else:
            self._flush_table()
            if self._tabular(line) and not self._justified_continuation(line, gap):
                self.table, self.table_gap, self.item_indent = [line], gap, None
                self._take_back_cell_start(line, gap)
            elif line.is_bullet:
                words = [w for seg in line.segments for w in seg]
                marker, words = words[0], words[1:]
                text = " ".join(filter(None, [marker.text[1:].strip(), join_words(words)]))
                self.item_indent = words[0].x0 if words else marker.x1
                self.blocks.append(Block(BlockKind.LIST_ITEM, text, gap_before=gap))
                self.para_lines = []
            elif self._numbered_item(line):
                # The marker stays in the text: the parser reads recommendation numbers from it.
                words = [w for seg in line.segments for w in seg]
                glued = _GLUED_MARKER.match(words[0].text)
                # Lines indented past a glued marker's start continue its item (glyph widths are unknown here).
                self.item_indent = words[1].x0 if not glued else words[0].x0 + 0.5 * line.size + 2
                text = join_words(words) if not glued else f"{glued[1]} {glued[2]} {join_words(words[1:])}".rstrip()
                self.blocks.append(Block(BlockKind.LIST_ITEM, text, gap_before=gap))
                self.para_lines, self.item_line = [], line
                number = _marker_number(words[0].text)
                self.next_marker = (words[0].x0, words[0].x1, number + 1) if number is not None else None
            else:
                self._text_line(line, gap)
        self.prev = line

    def _continues_table(self, line: Line, gap: bool) -> bool:
        if line.is_bullet:
            return False
        if line.has_marker_cell:  # "2. | Court work and case supervision": a numbered row of a table
            return not gap and line.page == self.table[-1].page and self._aligned_with_table(line)
        last = self.table[-1]
        if self._tabular(line):
            return (
                not gap
                or line.page != last.page
                or self.grids[line.page].boundary_between(last, line)
                or self._aligned_with_table(line)
            )
        # Outside drawn borders, a single-cell line right under the table is the wrapped rest of a cell;
        # so is a line going on in lower case under the header row repeated on a new page.
        if line.page != last.page or not gap:
            return not gap
        if self._in_later_column(line):
            return True  # a lone cell under a later column (a row whose first cell goes on after a break)
        on_page = [ln.text for ln in self.table if ln.page == line.page]
        # The lines on this page so far repeat the table's first ones: its header (of one line or more).
        under_repeated_header = bool(on_page) and on_page == [ln.text for ln in self.table[: len(on_page)]]
        return under_repeated_header and (line.text[:1].islower() or self._row_awaits_first_cell(line.page))

    def _take_back_cell_start(self, row: Line, gap: bool) -> None:
        """The first lines of a tall cell, vertically centred, come before its row's other cells: a
        paragraph right above the row that fits inside the row's first column belongs to the table."""
        last = self.blocks[-1] if self.blocks else None
        if gap or not self.para_lines or last is None or last.kind is not BlockKind.PARAGRAPH or len(row.segments) < 2:
            return
        first, second = row.segments[0], row.segments[1]
        if all(
            len(ln.segments) == 1
            and ln.page == row.page
            and abs(ln.x0 - first[0].x0) <= SETTINGS.column_tolerance
            and ln.x1 < second[0].x0
            for ln in self.para_lines
        ):
            self.blocks.pop()
            self.table, self.table_gap = [*self.para_lines, row], self.para_gap

    def _row_awaits_first_cell(self, page: int) -> bool:
        """The table's last line before this page starts in a later column: its row's first cell is to come."""
        before = [ln for ln in self.table if ln.page < page]
        first = min(ln.x0 for ln in self.table)
        return bool(before) and before[-1].x0 > first + SETTINGS.column_tolerance

    def _in_later_column(self, line: Line) -> bool:
        """A one-cell line starting where a column of the table other than the first starts."""
        if len(line.segments) != 1:
            return False
        tol = SETTINGS.column_tolerance
        first = min(ln.x0 for ln in self.table)
        starts = {seg[0].x0 for ln in self.table for seg in ln.segments if seg[0].x0 > first + tol}
        return any(abs(line.x0 - x) <= tol for x in starts)

    def _aligned_with_table(self, line: Line) -> bool:
        """Padded rows of a borderless table are apart like paragraphs: their cells line up, though."""
        cells = {(seg[0].x0, seg[-1].x1) for ln in self.table for seg in ln.segments}
        tol = SETTINGS.column_tolerance
        # A cell lines up with a column when their left edges agree or their extents overlap (centred text).
        matched = sum(
            any(abs(seg[0].x0 - x0) <= tol or (seg[0].x0 < x1 and x0 < seg[-1].x1) for x0, x1 in cells)
            for seg in line.segments
        )
        return matched >= 2 or (line.side_by_side and matched >= 1)

    def _text_line(self, line: Line, gap: bool) -> None:
        previous = self.blocks[-1] if self.blocks else None
        # Over a page or column break the text starts at another x: an item's indent is measured anew.
        moved = self.prev is None or (self.prev.page, self.prev.column) != (line.page, line.column)
        continues = (
            previous is not None
            and not gap
            and previous.kind in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM)
            # A heading told apart by its font only (bold, or larger) ends where the font changes.
            and (self.prev is None or self.prev.style == line.style)
            and not (
                previous.kind is BlockKind.LIST_ITEM
                and self.item_indent is not None
                and line.x0 < self.item_indent - 2
                and not moved
                and not self._numbered_paragraph(line)
            )
        )
        if continues and previous is not None and previous.kind is BlockKind.PARAGRAPH:
            continues = not self._indented_start(line)
            gap = gap or not continues  # set apart by its indent as others set it apart by space
        if continues and previous is not None:
            if moved and previous.kind is BlockKind.LIST_ITEM:
                self.item_indent = line.x0
            self.blocks[-1] = Block(
                previous.kind, self.vocabulary.join_lines(previous.text, line.text), gap_before=previous.gap_before
            )
            self.para_lines.append(line)
            return
        self.item_indent = None
        self.blocks.append(Block(BlockKind.PARAGRAPH, line.text, gap_before=gap))
        self.para_lines, self.para_gap = [line], gap

    def _numbered_paragraph(self, line: Line) -> bool:
        """A paragraph whose first word is a number ("13. consider ...") set at the document's paragraph
        indent looks like a numbered item; its second line going back to the column's left edge (an
        item's lines hang at its text) shows it is a paragraph: the line continues it. So does one set
        flush at the column's left edge, as a word processor's paragraph typed "13. consider ...", its
        second line under the number, not under the text."""
        first = self.item_line
        if first is None or self.prev is not first:
            return False
        left = self._left_edge(line)
        flush = abs(first.x0 - left) <= SETTINGS.column_tolerance / 2
        if not (flush or self._indented_start(first)):
            return False
        return abs(line.x0 - left) <= SETTINGS.column_tolerance / 2

    def _indented_start(self, line: Line) -> bool:
        """A line at the document's paragraph indent starts a paragraph (TeX and many books mark
        paragraphs by a first-line indent, with no space between them)."""
        if self.paragraph_indent is None:
            return False
        return abs(self._indent(line, line.x0) - self.paragraph_indent) <= SETTINGS.column_tolerance / 2

    def _flush_table(self) -> None:
        if not self.table:
            return
        self.para_lines = []
        for i, cells in enumerate(table_rows(self.table, self.grids, self.spacing.cell_white, self.vocabulary)):
            gap = self.table_gap and i == 0
            if len(cells) == 1:
                # A row with one filled cell (a merged title row) reads as a line of text, as in the text conversions.
                self.blocks.append(Block(BlockKind.PARAGRAPH, cells[0], gap_before=gap))
            else:
                self.blocks.append(Block.row(cells, gap_before=gap))
        self.table = []

    def _flush_notes(self) -> None:
        self._flush_table()
        for note in split_notes(self.pending_notes):
            text = note[0].text
            for line in note[1:]:
                text = self.vocabulary.join_lines(text, line.text)
            self.blocks.append(Block(BlockKind.PARAGRAPH, note_text(text), gap_before=True))
        self.pending_notes, self.para_lines, self.item_indent = [], [], None

    def finish(self) -> list[Block]:
        self._flush_table()
        if self.pending_notes:
            self._flush_notes()
        return self.blocks


def _marker_number(marker: str) -> int | None:
    digits = re.match(r"^\(?(\d{1,2})", marker)
    return int(digits[1]) if digits else None


def _next_word_fits(prev: Line, line: Line, right: float) -> bool:
    """A line ends where the next word no longer fits: if the first word after the break would have fit
    in the room left at the end of the line before it, that line ended its paragraph (a heading at the
    foot of a narrow column, short of its edge by less than the usual measure)."""
    first = line.segments[0][0]
    return prev.x1 + 0.3 * prev.size + (first.x1 - first.x0) < right - 1


def pages_to_blocks(pages: Sequence[Page]) -> list[Block]:
    lines_per_page = drop_running_text(pages, [build_lines(p, i) for i, p in enumerate(pages)])
    spacing = Spacing(lines_per_page)
    for lines in lines_per_page:
        spacing.mark_side_by_side(lines)
    bottoms = [lines[-1].bottom for lines in lines_per_page if lines]
    rights = [ln.x1 for lines in lines_per_page for ln in lines]
    vocabulary = Vocabulary(w.text for p in pages for w in p.words)
    text_right = median(rights) if rights else 0.0
    region_rights = _region_rights(lines_per_page)
    region_lefts = _region_lefts(lines_per_page)
    builder = _Builder(
        [Grid(p.rules) for p in pages],
        spacing,
        vocabulary,
        _usual_bottom(bottoms),
        text_right,
        region_rights,
        region_lefts,
        _paragraph_indent(lines_per_page, spacing, region_lefts, region_rights),
        page_notes(pages, lines_per_page),
    )
    for line in _flatten(lines_per_page):
        builder.feed(line)
    return builder.finish()


def _region_rights(lines_per_page: list[list[Line]]) -> dict[tuple[int, int], float]:
    """Right edge of each reading region: where the full lines of a column end."""
    rights: dict[tuple[int, int], list[float]] = {}
    for lines in lines_per_page:
        for line in lines:
            rights.setdefault((line.page, line.column), []).append(line.x1)
    return {key: median(xs) for key, xs in rights.items() if len(xs) >= 3}


# A region holding only list items starts at its bullets: its column's edge lies at most this far left.
_BULLET_REACH = 36.0


def _region_lefts(lines_per_page: list[list[Line]]) -> dict[tuple[int, int], float]:
    """Left edge of each reading region (page and column): where its leftmost line starts, or the edge that
    other regions show a little to its left (a column of the same layout whose text starts at its edge)."""
    lefts: dict[tuple[int, int], float] = {}
    for lines in lines_per_page:
        for line in lines:
            key = (line.page, line.column)
            lefts[key] = min(lefts.get(key, line.x0), line.x0)
    seen = Counter(round(x) for x in lefts.values())
    edges = [x for x, n in seen.items() if n >= 2]
    return {key: min([e for e in edges if x - _BULLET_REACH <= e <= x + 0.5], default=x) for key, x in lefts.items()}


def _paragraph_indent(
    lines_per_page: list[list[Line]],
    spacing: Spacing,
    lefts: dict[tuple[int, int], float],
    rights: dict[tuple[int, int], float],
) -> float | None:
    """The document's first-line indent, if it sets paragraphs so: the usual indent (0.8-4 em) of a
    full line whose next line, right under it, starts back at the column's left edge, seen at least
    three times. None for documents that set paragraphs apart by space only."""
    indents: Counter[int] = Counter()
    for lines in lines_per_page:
        for a, b in zip(lines, lines[1:], strict=False):
            key = (a.page, a.column)
            left, right = lefts.get(key, spacing.left), rights.get(key)
            indent = a.x0 - left
            if (
                b.column == a.column
                and right is not None
                and a.x1 >= right - a.size
                and abs(b.x0 - left) <= 1
                and not spacing.is_gap(a, b)
                and SETTINGS.indent_min_em * a.size <= indent <= SETTINGS.indent_max_em * a.size
                and not a.is_bullet
                and len(a.segments) == 1
            ):
                indents[round(indent)] += 1
    if not indents:
        return None
    indent, count = indents.most_common(1)[0]
    return float(indent) if count >= 3 else None


def _usual_bottom(bottoms: list[float]) -> float:
    """Where full pages end: most pages, not the lowest one (a table or footnote may run past the
    body's usual bottom on a page or two, and pages that end a section stop short)."""
    if not bottoms:
        return 0.0
    ordered = sorted(bottoms)
    return ordered[min(len(ordered) - 1, (3 * len(ordered)) // 4)]


def _flatten(lines_per_page: Iterable[list[Line]]) -> Iterable[Line]:
    for lines in lines_per_page:
        yield from lines
