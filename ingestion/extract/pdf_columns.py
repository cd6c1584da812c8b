"""Columns of text on a page, found from the white space between them (an XY cut).

Lines of a two-column page share heights with the other column, so grouping words by height alone
reads across both columns. Here the page is cut first: a vertical band of white space near the
middle (a gutter) that runs down a stretch of consecutive rows splits those rows into a left and a
right column, read one after the other; rows crossing the gutter (a title over both columns, a
one-column part of the page) are cut off above and below and read as they are. A page may so mix
one- and two-column parts. A table inside a column stays a table: its rows are read within the
column. A table on a one-column page is not split: a gutter needs text on both sides, at least a
third of the text width each, several words to a row (a column of ratings or percentages is not).
"""

from __future__ import annotations

from bisect import insort
from collections.abc import Sequence
from statistics import median

from ingestion.extract.pdf_geometry import Word

MIN_ROWS = 4  # rows of each column before a stretch counts as two columns
MIN_SIDE_SHARE = 0.33  # each column spans at least this share of the text width
MIN_WORDS_PER_ROW = 2.5  # running text, not a column of short cells


def group_rows(words: Sequence[Word]) -> list[list[Word]]:
    """Words whose vertical centres agree (within half a glyph height), top to bottom."""
    rows: list[list[Word]] = []
    centres: list[float] = []  # sorted centres of the last row: its median in O(1)
    for word in sorted(words, key=lambda w: ((w.top + w.bottom) / 2, w.x0)):
        centre = (word.top + word.bottom) / 2
        if rows:
            last = rows[-1]
            n = len(centres)
            last_centre = centres[n // 2] if n % 2 else (centres[n // 2 - 1] + centres[n // 2]) / 2
            if abs(centre - last_centre) <= 0.5 * min(word.bottom - word.top, last[0].bottom - last[0].top):
                last.append(word)
                insort(centres, centre)
                continue
        rows.append([word])
        centres = [centre]
    return rows


def reading_regions(words: Sequence[Word], page_width: float) -> list[list[list[Word]]]:
    """The page's rows in reading order, by region: one per one-column part, two per two-column part."""
    rows = group_rows(words)
    gutter = _gutter(rows, page_width) if len(rows) >= 2 * MIN_ROWS else None
    if gutter is None:
        return [rows]
    g0, g1 = gutter
    min_width = 0.8 * median(w.size for w in words)
    edges = (min(w.x0 for w in words), max(w.x1 for w in words))
    regions: list[tuple[bool, list[list[Word]]]] = []  # (a column of a two-column part, its rows)
    stretch: list[tuple[list[Word], float]] = []  # consecutive rows clear of the gutter, with their split

    def one_column(more: list[list[Word]]) -> None:
        if regions and not regions[-1][0]:
            regions[-1][1].extend(more)
        else:
            regions.append((False, list(more)))

    def close_stretch() -> None:
        # Each column's rows are grouped anew: its lines need not share heights with the other
        # column's, and a word raised by a footnote mark may have joined the other column's row.
        left = group_rows([w for row, split in stretch for w in row if (w.x0 + w.x1) / 2 < split])
        right = group_rows([w for row, split in stretch for w in row if (w.x0 + w.x1) / 2 >= split])
        if _is_columns(left, right, edges, (g0, g1)):
            regions.extend([(True, left), (True, right)])
        else:
            one_column([row for row, _ in stretch])
        stretch.clear()

    for row in rows:
        split = _split_point(row, g0, g1, min_width)
        if split is None:
            close_stretch()
            one_column([row])
        else:
            stretch.append((row, split))
    close_stretch()
    return [region for _, region in regions if region]


def _split_point(row: list[Word], g0: float, g1: float, min_width: float) -> float | None:
    """Where the row parts into its left and right column: the middle of its widest white stretch inside
    the gutter (g0..g1), at least `min_width` wide. None when the row runs across the gutter.

    The gutter is where few rows have text; a row of the right-hand column may still start inside it
    ("Areas for improvement:" at the column's edge, while the column's list items are indented), and a
    word protruding into its edge (a wide cell, a glyph's loose box) stays on its side.
    """
    ordered = sorted(row, key=lambda w: w.x0)
    best, split, reach = 0.0, None, float("-inf")
    for word in ordered:
        lo, hi = max(reach, g0), min(word.x0, g1)
        if hi - lo > best:
            best, split = hi - lo, (lo + hi) / 2
        reach = max(reach, word.x1)
    lo, hi = max(reach, g0), g1
    if hi - lo > best:
        best, split = hi - lo, (lo + hi) / 2
    return split if best >= min(min_width, 0.2 * (g1 - g0)) else None


def _gutter(rows: list[list[Word]], page_width: float) -> tuple[float, float] | None:
    """The widest band near the page's middle that few rows cross, or None."""
    lo, hi = int(0.3 * page_width), int(0.7 * page_width)
    sizes = [w.size for row in rows for w in row]
    min_width = 0.8 * median(sizes)
    # Only rows with white space near the middle can be beside a gutter: rows across the page (a
    # one-column part of the page) say nothing about where a two-column part has its gutter.
    rows = [row for row in rows if _middle_gap(row, lo, hi) >= min_width]
    if len(rows) < MIN_ROWS:
        return None
    crossing = [0] * (hi - lo)
    for row in rows:
        for w in row:
            for x in range(max(lo, int(w.x0)), min(hi, int(w.x1) + 1)):
                crossing[x - lo] += 1
    allowed = max(1, len(rows) // 20)
    best: tuple[float, float] | None = None
    start = None
    for i, count in enumerate([*crossing, allowed + 1]):
        if count <= allowed and start is None:
            start = i
        elif count > allowed and start is not None:
            if i - start >= min_width and (best is None or i - start > best[1] - best[0]):
                best = (float(lo + start), float(lo + i))
            start = None
    return best


def _middle_gap(row: list[Word], lo: float, hi: float) -> float:
    """The widest white gap between two words of the row that lies near the middle (lo..hi)."""
    ordered = sorted(row, key=lambda w: w.x0)
    widest, reach = 0.0, ordered[0].x1
    for word in ordered[1:]:
        if word.x0 > reach and lo <= (reach + word.x0) / 2 <= hi:
            widest = max(widest, word.x0 - reach)
        reach = max(reach, word.x1)
    return widest


def _is_columns(
    left_rows: list[list[Word]],
    right_rows: list[list[Word]],
    edges: tuple[float, float],
    gutter: tuple[float, float],
) -> bool:
    if len(left_rows) < MIN_ROWS or len(right_rows) < MIN_ROWS:
        return False
    width = edges[1] - edges[0]
    if gutter[0] - edges[0] < MIN_SIDE_SHARE * width or edges[1] - gutter[1] < MIN_SIDE_SHARE * width:
        return False
    left = [w for row in left_rows for w in row]
    right = [w for row in right_rows for w in row]
    spans = (max(w.x1 for w in left) - min(w.x0 for w in left), max(w.x1 for w in right) - min(w.x0 for w in right))
    if min(spans) < MIN_SIDE_SHARE * width:
        return False
    return len(left) / len(left_rows) >= MIN_WORDS_PER_ROW and len(right) / len(right_rows) >= MIN_WORDS_PER_ROW
