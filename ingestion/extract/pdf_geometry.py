"""What the PDF layout code works on: positioned words, drawn rules and marks, lines, and its thresholds.

Coordinates are top-down (y grows towards the page bottom), in points. Every backend (pypdfium2,
pdfplumber) only has to produce `Page`s; the layout code never sees a PDF library.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class LayoutSettings:
    """Thresholds of the layout code, as multiples of the font size or line height unless in points."""

    # Ordinary word spaces are ~0.3 em; table cells are separated by padding on both sides.
    cell_gap_em: float = 0.8
    # A paragraph gap is this much white (in line heights) over the document's usual line spacing.
    paragraph_gap_lines: float = 0.35
    # Lines of a wrapped table cell are at most this much (line heights) further apart than body lines.
    cell_line_gap_lines: float = 0.25
    # Lines whose centres are closer than this share of the usual line pitch sit side by side
    # (a one-line cell vertically centred against a two-line one).
    interleave_share: float = 0.75
    # A list marker ("1.", "a)") drawn apart from its text is at most this far (em) from it.
    marker_gap_em: float = 2.5
    # A drawn bullet (a small filled shape) is at most this far (em) left of its text.
    mark_reach_em: float = 3.0
    mark_min: float = 1.5  # points: smaller shapes are specks, larger ones boxes or rules
    mark_max: float = 8.0
    forced_break_share: float = 0.2  # a page ending this far above the usual bottom was broken on purpose
    margin_share: float = 0.09  # top/bottom share of the page where running headers and footers live
    column_tolerance: float = 4.0  # points between left edges that still count as one column
    # A paragraph's first line indented this far (em) from its column's edge starts the paragraph.
    indent_min_em: float = 0.8
    indent_max_em: float = 4.0
    # The space after a sentence's end may be this many of the line's word spaces (TeX widens it).
    sentence_space_words: float = 2.5
    thin: float = 2.0  # at most this thick, a drawn path is a line rather than a box


SETTINGS = LayoutSettings()

BULLETS = frozenset("•●▪■◦\u2022\u25aa\u25cf\uf0b7\uf0a7\uf0d8\uf076")
# Dashes also start ordinary wrapped lines ("– South West region"), so they count as bullets
# only when set apart from the text like a bullet glyph.
DASH_BULLETS = frozenset("-–")
# Markers of numbered and lettered list items, as browsers and word processors draw them.
NUMBER_MARKER = re.compile(r"^(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)]$|^\((?:\d{1,2}|[a-z]|[ivx]{1,4})\)$")


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool = False


@dataclass(frozen=True)
class Rule:
    """The box of a drawn line or rectangle edge."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def horizontal(self) -> bool:
        return self.bottom - self.top <= SETTINGS.thin and self.x1 - self.x0 > SETTINGS.thin

    @property
    def vertical(self) -> bool:
        return self.x1 - self.x0 <= SETTINGS.thin and self.bottom - self.top > SETTINGS.thin


def edges_of_box(x0: float, top: float, x1: float, bottom: float) -> list[Rule]:
    """A thin path is one rule; a filled or stroked box contributes its four edges."""
    if bottom - top <= SETTINGS.thin or x1 - x0 <= SETTINGS.thin:
        return [Rule(x0, top, x1, bottom)]
    return [Rule(x0, top, x1, top), Rule(x0, bottom, x1, bottom), Rule(x0, top, x0, bottom), Rule(x1, top, x1, bottom)]


def is_mark(x0: float, top: float, x1: float, bottom: float) -> bool:
    """A small, roughly square shape: a bullet that a browser drew instead of a glyph."""
    w, h = x1 - x0, bottom - top
    return SETTINGS.mark_min <= min(w, h) and max(w, h) <= SETTINGS.mark_max and max(w, h) <= 1.5 * min(w, h)


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    words: tuple[Word, ...]
    rules: tuple[Rule, ...] = ()
    marks: tuple[Rule, ...] = ()  # boxes of drawn bullets


def join_words(words: Sequence[Word]) -> str:
    return " ".join(w.text for w in words)


@dataclass
class Line:
    segments: list[list[Word]]  # cells of the line, left to right
    top: float
    bottom: float
    size: float
    page: int
    side_by_side: bool = False  # set where lines interleave: cells of one table row, of different heights
    column: int = 0  # reading region of the page (pdf_columns): lines of one region are read together

    @property
    def x0(self) -> float:
        return self.segments[0][0].x0

    @property
    def x1(self) -> float:
        return self.segments[-1][-1].x1

    @property
    def centre(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def text(self) -> str:
        return " ".join(join_words(seg) for seg in self.segments)

    @property
    def style(self) -> tuple[bool, int]:
        """(bold, rounded size): a heading set in its own font differs from the text after it."""
        words = [w for seg in self.segments for w in seg if any(ch.isalpha() for ch in w.text)]
        return bool(words) and all(w.bold for w in words), round(self.size)

    @property
    def is_bullet(self) -> bool:
        first = self.segments[0]
        if first[0].text[0] in BULLETS:
            return len(first[0].text) > 1 or len(first) > 1 or len(self.segments) > 1
        return first[0].text in DASH_BULLETS and len(first) == 1 and len(self.segments) > 1

    @property
    def has_marker_cell(self) -> bool:
        """ "1." drawn as its own text object just left of the item's text (Word numbering)."""
        first = self.segments[0]
        return (
            len(self.segments) == 2
            and len(first) == 1
            and NUMBER_MARKER.match(first[0].text) is not None
            and self.segments[1][0].x0 - first[0].x1 < SETTINGS.marker_gap_em * self.size
        )

    @property
    def is_multi_cell(self) -> bool:
        return len(self.segments) >= 2 and not self.is_bullet and not self.has_marker_cell
