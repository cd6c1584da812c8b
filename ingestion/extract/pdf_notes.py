"""Footnotes set at the foot of a page (or of a column), under a short separator rule.

Typesetters (TeX's `\\footnote`, word processors' footnotes) place a note at the foot of the page its
marker is on, under a short rule, in a smaller font. Read in page order, the note would cut into
whatever runs on over the page break (a paragraph or list item continued on the next page) and join
the block above it. A note is found by all of: the last lines of a page or column, in a font smaller
than the body's, the first starting with a marker (a digit, a superscript, * or a dagger), with a
horizontal rule shorter than half the column right above it. The layout code sets the notes aside
and puts them where the text flowing over the break ends, each note a paragraph of its own, as a
text version keeps them after the passage they annotate.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ingestion.extract.pdf_geometry import Line, Page

_MARKERS = "*\u2020\u2021\u00b9\u00b2\u00b3\u2070\u2074\u2075\u2076\u2077\u2078\u2079"


@dataclass(frozen=True)
class PageNotes:
    rule_top: float  # where the notes' separator rule is: the page's (or column's) body ends above it
    lines: tuple[Line, ...]


def page_notes(pages: Sequence[Page], lines_per_page: list[list[Line]]) -> dict[tuple[int, int], PageNotes]:
    """(page, column) -> the footnotes at its foot."""
    sizes: Counter[int] = Counter()
    for lines in lines_per_page:
        for line in lines:
            sizes[round(line.size)] += sum(len(seg) for seg in line.segments)
    if not sizes:
        return {}
    body = sizes.most_common(1)[0][0]
    out: dict[tuple[int, int], PageNotes] = {}
    for page, lines in zip(pages, lines_per_page, strict=True):
        for column in {ln.column for ln in lines}:
            found = _column_notes(page, [ln for ln in lines if ln.column == column], body)
            if found is not None:
                out[(found.lines[0].page, column)] = found
    return out


def _column_notes(page: Page, lines: list[Line], body: float) -> PageNotes | None:
    tail: list[Line] = []
    for line in reversed(lines):
        if line.size >= 0.9 * body:
            break
        tail.insert(0, line)
    if not tail or len(tail) == len(lines) or not (tail[0].text[:1].isdigit() or tail[0].text[:1] in _MARKERS):
        return None
    above, first = lines[len(lines) - len(tail) - 1], tail[0]
    width = max(ln.x1 for ln in lines) - min(ln.x0 for ln in lines)
    for rule in page.rules:
        if (
            rule.horizontal
            and above.bottom <= rule.top <= first.top
            and rule.x1 - rule.x0 < 0.5 * width
            and rule.x0 <= first.x0 + 1
        ):
            return PageNotes(rule.top, tuple(tail))
    return None


_GLUED_MARK = re.compile(r"^(\d{1,2})(?=[A-Za-z])")


def note_text(text: str) -> str:
    """A note's text with its marker set apart: a raised mark touching the first word ("3The") is read
    with it as one word."""
    return _GLUED_MARK.sub(r"\1 ", text)


def split_notes(lines: Sequence[Line]) -> list[list[Line]]:
    """The lines of a page's notes, one list per note: a note starts with its marker, set apart from
    the left edge its other lines share (a hanging mark) or, where all start alike, with a digit."""
    left = min(ln.x0 for ln in lines)
    hanging = any(ln.x0 > left + 1 for ln in lines)
    notes: list[list[Line]] = []
    for line in lines:
        starts = line.x0 > left + 1 if hanging else line.text[:1].isdigit() or line.text[:1] in _MARKERS
        if starts or not notes:
            notes.append([line])
        else:
            notes[-1].append(line)
    return notes
