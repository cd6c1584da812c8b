"""Positioned words of a page -> lines, and the document's own line spacing.

Words are grouped into lines by their vertical position and cut into cells at large horizontal gaps;
drawn bullets are attached to their lines; running headers, footers and page numbers are dropped.
`Spacing` learns the usual white space and pitch between lines per font size, so that gaps (new
paragraphs, table rows) are measured against the producer's own leading rather than a constant.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from statistics import median

from ingestion.extract.pdf_columns import reading_regions
from ingestion.extract.pdf_geometry import SETTINGS, Line, Page, Rule, Word

# A word ending a sentence or clause, where TeX widens the space after it ("?" not: a question
# ends the key-question cell of a table, right before its percentage; "1." and "2.1." not: list
# numbers and codes are cells of their own).
_ENDS_SENTENCE = re.compile(r"(?:[a-z)%]|\d{2,})[.!:][\"'\u201d\u2019)]?$")
_PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE)


def build_lines(page: Page, index: int) -> list[Line]:
    """The page's lines in reading order: column by column where the page has columns."""
    lines: list[Line] = []
    for column, rows in enumerate(reading_regions(page.words, page.width) if page.words else []):
        lines.extend(_region_lines(rows, index, column))
    _attach_marks(lines, page.marks)
    return lines


def _region_lines(rows: list[list[Word]], index: int, column: int) -> list[Line]:
    lines = []
    merged = _raised_merged(rows)
    edge = _justified_edge(merged)
    for row in merged:
        row.sort(key=lambda w: w.x0)
        size = median(w.size for w in row)
        gaps = [b.x0 - a.x1 for a, b in zip(row, row[1:], strict=False)]
        threshold = _cell_gap(gaps, size, full=edge is not None and abs(row[-1].x1 - edge) <= 1.0)
        # Only a line with a gap over the cell gap pays for measuring its sentence spaces.
        after_sentence = max(threshold, _sentence_space(row, gaps)) if gaps and max(gaps) > threshold else threshold
        segments: list[list[Word]] = [[row[0]]]
        for before, word, gap in zip(row[:-1], row[1:], gaps, strict=True):
            if gap > (after_sentence if _ENDS_SENTENCE.search(before.text) else threshold):
                segments.append([word])
            else:
                segments[-1].append(word)
        lines.append(Line(segments, min(w.top for w in row), max(w.bottom for w in row), size, index, column=column))
    return lines


def _raised_merged(rows: list[list[Word]]) -> list[list[Word]]:
    """A row of smaller glyphs set within the height of the next or previous row (a raised footnote
    marker, "³ The rating ...") belongs to that row: alone it would pass for a page number."""
    out: list[list[Word]] = []
    for row in rows:
        if out and (_is_raised(out[-1], row) or _is_raised(row, out[-1])):
            out[-1].extend(row)
        else:
            out.append(row)
    return out


def _is_raised(small: list[Word], line: list[Word]) -> bool:
    size = median(w.size for w in line)
    top, bottom = min(w.top for w in small), max(w.bottom for w in small)
    overlap = min(bottom, max(w.bottom for w in line)) - max(top, min(w.top for w in line))
    return all(w.size < 0.85 * size for w in small) and overlap >= 0.5 * (bottom - top)


def _justified_edge(rows: list[list[Word]]) -> float | None:
    """The right edge where several lines of the region end together: justified text's right margin."""
    ends = Counter(round(max(w.x1 for w in row)) for row in rows)
    edge, count = ends.most_common(1)[0] if ends else (0, 0)
    return float(edge) if count >= 3 else None


def _cell_gap(gaps: list[float], size: float, full: bool = False) -> float:
    """The smallest gap that separates two cells of this line (`full`: it ends at the justified edge).

    Justified text stretches every space of a line alike, possibly past the usual cell gap (narrow
    columns, justified table cells): where several gaps agree with the line's median, only a gap well
    over that stretched space is a cell break; so on a full line of three words whose two gaps agree
    to a few hundredths. Table cells otherwise leave a few uneven gaps.
    """
    if len(gaps) >= 3 and max(gaps) < 1.6 * max(min(gaps), 0.1):
        return float("inf")  # a justified line of text
    if full and len(gaps) == 2 and abs(gaps[0] - gaps[1]) <= max(0.3, 0.03 * max(gaps)):
        return float("inf")
    normal = SETTINGS.cell_gap_em * size
    if len(gaps) >= 3:
        middle = median(gaps)
        if middle > normal and sum(abs(g - middle) <= 0.15 * middle for g in gaps) >= 3:
            return 1.6 * middle
    return normal


def _sentence_space(row: list[Word], gaps: list[float]) -> float:
    """The most space a sentence's end may leave on this line and still be a word space.

    TeX (and typists' double spacing) sets more space after a full stop or colon than between words,
    and justification stretches it more (TeX three times as much): on a line whose word spaces agree,
    a gap after a sentence's end up to 2.5 word spaces is no cell break. 0 where the line has no such
    run of agreeing word spaces."""
    spaces = [g for word, g in zip(row, gaps, strict=False) if not _ENDS_SENTENCE.search(word.text)]
    if len(spaces) < 3:
        return 0.0
    middle = median(spaces)
    if middle <= 0 or sum(abs(g - middle) <= 0.15 * middle for g in spaces) < 3:
        return 0.0
    return SETTINGS.sentence_space_words * middle


def _attach_marks(lines: list[Line], marks: Sequence[Rule]) -> None:
    """A bullet drawn as a shape (browsers do) becomes a bullet glyph at the start of its line."""
    for mark in marks:
        centre = (mark.top + mark.bottom) / 2
        for line in lines:
            if (
                line.top <= centre <= line.bottom
                and 0 <= line.x0 - mark.x1 <= SETTINGS.mark_reach_em * line.size
                and not line.is_bullet
            ):
                bullet = Word("\u2022", mark.x0, mark.x1, line.top, line.bottom, line.size)
                line.segments[0].insert(0, bullet)
                break


def _running_key(line: Line) -> str:
    return re.sub(r"\d+", "#", line.text.lower()).strip()


def drop_running_text(pages: Sequence[Page], lines_per_page: list[list[Line]]) -> list[list[Line]]:
    """Remove page numbers and headers/footers repeated on many pages, only inside the page margins."""

    def in_margin(line: Line) -> bool:
        height = pages[line.page].height
        return line.bottom < SETTINGS.margin_share * height or line.top > (1 - SETTINGS.margin_share) * height

    counts = Counter(
        _running_key(ln)
        for lines in lines_per_page
        for ln in {_running_key(x): x for x in lines}.values()
        if in_margin(ln)
    )
    threshold = max(2, len(pages) // 2)
    numbers = [ln for lines in lines_per_page for ln in lines if in_margin(ln) and _PAGE_NUMBER.match(ln.text)]
    folio = _page_numbers(numbers, pages)
    return [
        [ln for ln in lines if not (in_margin(ln) and (id(ln) in folio or counts[_running_key(ln)] >= threshold))]
        for lines in lines_per_page
    ]


def _page_numbers(candidates: list[Line], pages: Sequence[Page]) -> set[int]:
    """ids of the margin lines that number their pages: their number runs with the page's index (at one
    offset, the most common one, on two pages or more; or one more than the index), and they stand where
    the other page numbers stand (top or foot, and across). A score such as "3/27" at the top of a page
    where its table starts reads like "page 3 of 27" but does not run, or stands elsewhere."""
    first = {id(ln): int(re.findall(r"\d+", ln.text)[0]) for ln in candidates}
    offsets = Counter(first[id(ln)] - ln.page for ln in candidates)
    offset, seen = offsets.most_common(1)[0] if offsets else (1, 0)
    running = [ln for ln in candidates if first[id(ln)] - ln.page == (offset if seen >= 2 else 1)]

    def place(ln: Line) -> tuple[bool, int]:
        return ln.top < pages[ln.page].height / 2, round((ln.x0 + ln.x1) / 2 / 20)

    places = Counter(place(ln) for ln in running)
    usual, count = places.most_common(1)[0] if places else ((False, 0), 0)
    return {id(ln) for ln in running if count < 2 or place(ln) == usual}


def _size_key(line: Line) -> int:
    return round(line.size)


def _stacked(upper: Line, lower: Line) -> bool:
    """Consecutive lines of one column of text (not cells side by side, not table rows)."""
    return (
        _size_key(upper) == _size_key(lower)
        and len(upper.segments) == len(lower.segments) == 1
        and lower.x0 < upper.x1
        and upper.x0 < lower.x1
        and -upper.height < lower.top - upper.bottom < upper.height
        and lower.centre - upper.centre > 0.5 * upper.height
    )


def _paragraph_white(whites: Counter[float], usual: float, size: int) -> float | None:
    """Where the document shows paragraphs set apart by less than the default gap (generous leading,
    a small space after each paragraph): a second common white between stacked lines, 1.5 points or
    more over the usual and under the default gap, gives the limit (midway). None: no such white."""
    default = usual + SETTINGS.paragraph_gap_lines * 1.15 * size  # a line's box is ~1.15 of its size
    total = whites.total()
    common = [w for w, n in whites.items() if usual + 1.5 <= w <= default and n >= max(3, 0.05 * total)]
    if not common:
        return None
    second = max(common, key=lambda w: whites[w])
    return (usual + second) / 2


class Spacing:
    """The document's own line spacing, learnt from its lines: producers differ widely in leading
    (loose glyph boxes may even overlap), so gaps are measured against it, not against a constant."""

    MIN_SAMPLES = 3

    def __init__(self, lines_per_page: Sequence[list[Line]]) -> None:
        whites: dict[int, Counter[float]] = {}
        pitches: dict[int, Counter[float]] = {}
        for lines in lines_per_page:
            for upper, lower in zip(lines, lines[1:], strict=False):
                if _stacked(upper, lower):
                    key = _size_key(upper)
                    whites.setdefault(key, Counter())[round((lower.top - upper.bottom) * 2) / 2] += 1
                    pitches.setdefault(key, Counter())[round((lower.centre - upper.centre) * 2) / 2] += 1
        known = {k: c for k, c in whites.items() if c.total() >= self.MIN_SAMPLES}
        self._white = {k: c.most_common(1)[0][0] for k, c in known.items()}
        self._pitch = {k: pitches[k].most_common(1)[0][0] for k in known}
        # Sizes seen too rarely (titles) are spaced like the body text, in proportion.
        body = max(known, key=lambda k: known[k].total(), default=None)
        self._white_share = self._white[body] / body if body else 0.25
        self._pitch_share = self._pitch[body] / body if body else 1.2
        # Paragraphs of the body text may be set apart by less than the default gap (learnt, below).
        learnt = _paragraph_white(known[body], self._white[body], body) if body else None
        self._gap = {body: learnt} if body and learnt is not None else {}
        # The body's left edge: the leftmost x where many lines start (list text is indented from it).
        lefts = Counter(round(ln.x0) for lines in lines_per_page for ln in lines)
        common = max(lefts.values(), default=0)
        self.left = float(min((x for x, n in lefts.items() if n >= 0.2 * common), default=0))

    def usual_white(self, line: Line) -> float:
        return self._white.get(_size_key(line), self._white_share * line.size)

    def pitch(self, line: Line) -> float:
        return self._pitch.get(_size_key(line), self._pitch_share * line.size)

    def is_gap(self, upper: Line, lower: Line) -> bool:
        """More white between the lines than the usual line spacing of the smaller text."""
        small = upper if upper.size < lower.size else lower
        white = lower.top - upper.bottom
        learnt = self._gap.get(_size_key(small))
        if learnt is not None:
            return white > learnt
        return white > self.usual_white(small) + SETTINGS.paragraph_gap_lines * small.height

    def cell_white(self, line: Line) -> float:
        return self.usual_white(line) + SETTINGS.cell_line_gap_lines * line.height

    def mark_side_by_side(self, lines: list[Line]) -> None:
        """Flag lines interleaved with a neighbour (closer than a line pitch) in another column."""
        for upper, lower in zip(lines, lines[1:], strict=False):
            if upper.column != lower.column:
                continue
            if lower.centre - upper.centre < SETTINGS.interleave_share * self.pitch(upper) and (
                lower.x0 > upper.x1 or upper.x0 > lower.x1 or upper.is_multi_cell or lower.is_multi_cell
            ):
                upper.side_by_side = lower.side_by_side = True
