"""Tables from positioned text: which lines form a table, and how they split into rows and cells.

Drawn rules are the best evidence: vertical rules bound the columns, horizontal rules (and
the ends of per-row cell borders) separate the rows, and a line enclosed by vertical rules
sits in a table even when only one cell is filled. Without rules, the lines of a wrapped cell are
stacked into one cell (same column, body line spacing), and cells whose vertical extents overlap
form a row, so a one-line cell vertically centred against a two-line one lands in the same row.
Columns are the clustered left edges of the cells.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from statistics import median

from ingestion.extract.pdf_geometry import SETTINGS, Line, Rule, Word
from ingestion.extract.pdf_hyphens import Vocabulary

COLUMN_TOLERANCE = SETTINGS.column_tolerance


class Grid:
    """The rules of one page, asked about the lines of text on it."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.h = [r for r in rules if r.horizontal]
        self.v = [r for r in rules if r.vertical]

    def enclosed(self, line: Line) -> bool:
        y = line.centre
        right = line.segments[-1][-1].x1
        spanning = [r.x0 for r in self.v if r.top <= y <= r.bottom]
        return any(x <= line.x0 + 1 for x in spanning) and any(x >= right - 1 for x in spanning)

    def boundary_between(
        self, upper: Line, lower: Line, margin: float = 12.0, across: tuple[float, float] | None = None
    ) -> bool:
        """A horizontal rule, or the end of a cell's side border, lies between the two lines.

        Borders sit in the cell padding, so rules up to `margin` points beside the text count, or rules
        within `across` (the table's outer borders) when given.
        """
        a, b = upper.centre, lower.centre
        left = min(upper.x0, lower.x0) - margin
        right = max(upper.segments[-1][-1].x1, lower.segments[-1][-1].x1) + margin
        if across is not None:
            left, right = across
        if any(a < (r.top + r.bottom) / 2 < b and r.x0 < right and r.x1 > left for r in self.h):
            return True
        return any(a < y < b for r in self.v if left - 2 <= r.x0 <= right + 2 for y in (r.top, r.bottom))

    def column_edges(self, top: float, bottom: float) -> list[float]:
        return _cluster([r.x0 for r in self.v if r.top < bottom and r.bottom > top])

    def ruled(self, line: Line) -> bool:
        """At least two vertical rules run beside the line: it sits in a ruled part of a table."""
        y = line.centre
        return len(_cluster([r.x0 for r in self.v if r.top <= y <= r.bottom])) >= 2


def _cluster(xs: Sequence[float]) -> list[float]:
    out: list[float] = []
    for x in sorted(xs):
        if not out or x - out[-1] > COLUMN_TOLERANCE:
            out.append(x)
    return out


def table_rows(
    lines: Sequence[Line], grids: Sequence[Grid], cell_white: Callable[[Line], float], vocabulary: Vocabulary
) -> list[list[str]]:
    """Rows of cells (trailing empty cells dropped, as in the text conversions).

    `cell_white(line)` is the most white space above `line` that still continues a wrapped cell.
    """
    _rejoin_justified_ends(lines)
    rows: list[list[str]] = []
    previous_page = (-1, -1)
    # A table read over a page or column break is read in parts, one per page and column.
    for (page, column, ruled), fragment in groupby(
        lines, key=lambda ln: (ln.page, ln.column, grids[ln.page].ruled(ln))
    ):
        # A shaded header row alone is ruled; the borderless rows under it are not.
        run = list(fragment)
        part = _ruled_rows(run, grids[page]) if ruled else _unruled_rows(run, cell_white, grids[page])
        if rows and part and _filled(part[0]) == _filled(rows[0]):
            part = part[1:]  # the header row repeated on the next page
        if rows and part and (page, column) != previous_page and _continues_row(part[0], rows[-1]):
            # A row split by the page break: its cells go on under the repeated header.
            rows[-1] = _merge_rows(rows[-1], part.pop(0))
        rows.extend(part)
        if part:  # a fragment of nothing but the repeated header leaves the break ahead
            previous_page = (page, column)
    return [[vocabulary.mend_cell(cell) for cell in row] for row in rows]


def _rejoin_justified_ends(lines: Sequence[Line]) -> None:
    """A justified line of a narrow cell ("Requires      im-" / "provement") may stretch its last word,
    hyphenated, far enough to pass for a cell of its own: a lone piece ending in a hyphen whose word goes
    on, in lower case, on the next line at the start of the piece before it, joins that piece."""
    for upper, lower in zip(lines, lines[1:], strict=False):
        if (upper.page, upper.column) != (lower.page, lower.column):
            continue
        k = 1
        while k < len(upper.segments):
            piece, before = upper.segments[k], upper.segments[k - 1]
            goes_on = any(
                abs(seg[0].x0 - before[0].x0) <= COLUMN_TOLERANCE
                and seg[0].text[:1].islower()
                and seg[0].x1 < piece[0].x0
                for seg in lower.segments
            )
            # ... and not where a word of the piece's own cell goes on ("Implemen-  Inade-" / "tation  quate").
            own = any(abs(seg[0].x0 - piece[0].x0) <= COLUMN_TOLERANCE for seg in lower.segments)
            if len(piece) == 1 and piece[0].text.endswith("-") and len(piece[0].text) > 1 and goes_on and not own:
                upper.segments[k - 1 : k + 1] = [before + piece]
            else:
                k += 1


def _filled(cells: list[str]) -> list[str]:
    return [c for c in cells if c]


def _continues_row(cells: list[str], above: list[str]) -> bool:
    """The first row after a break goes on with the row before it: its cells go on in lower case, or
    it fills exactly the cells the row before left empty (a one-line percentage before the break, its
    question, starting with a capital, after it)."""
    filled = _filled(cells)
    if filled and all(c[:1].islower() for c in filled):
        return True
    width = max(len(cells), len(above))
    upper, lower = above + [""] * (width - len(above)), cells + [""] * (width - len(cells))
    return (
        bool(_filled(above))
        and not upper[0]
        and bool(lower[0])
        and all(not (a and b) for a, b in zip(upper, lower, strict=True))
    )


def _merge_rows(upper: list[str], lower: list[str]) -> list[str]:
    width = max(len(upper), len(lower))
    upper, lower = upper + [""] * (width - len(upper)), lower + [""] * (width - len(lower))
    return _trimmed([" ".join(filter(None, pair)) for pair in zip(upper, lower, strict=True)])


def _ruled_rows(lines: list[Line], grid: Grid) -> list[list[str]]:
    # Cell borders bound the columns (words are then placed one by one, as cells may touch)
    # and horizontal rules or the ends of cell borders separate the rows.
    edges = _own_edges(grid.column_edges(lines[0].top, lines[-1].bottom), lines)
    columns = edges[:-1]
    # Rules between the table's outer borders count; a rule beside the table (the other column of a
    # two-column page, a link's underline) does not.
    across = (edges[0] - 2.0, edges[-1] + 2.0)
    rows: list[list[list[str]]] = []
    for i, line in enumerate(lines):
        if i == 0 or grid.boundary_between(lines[i - 1], line, across=across):
            rows.append([[] for _ in columns])
        for word in (w for seg in line.segments for w in seg):
            rows[-1][_column(columns, word.x0)].append(word.text)
    return [_trimmed([" ".join(parts) for parts in row]) for row in rows]


def _own_edges(edges: list[float], lines: list[Line]) -> list[float]:
    """The cell borders of the table the lines sit in: on a two-column page a table in the other
    column, beside this one, has borders at the same heights, which bound no cell of this one."""
    left = max((e for e in edges if e <= min(ln.x0 for ln in lines) + 1), default=edges[0])
    right = min((e for e in edges if e >= max(ln.segments[-1][-1].x1 for ln in lines) - 1), default=edges[-1])
    own = [e for e in edges if left <= e <= right]
    return own if len(own) >= 2 else edges


@dataclass
class _Cell:
    """The stacked lines of one table cell (a wrapped cell has several)."""

    pieces: list[list[Word]] = field(default_factory=list)
    tops: list[float] = field(default_factory=list)  # the top of each piece's line
    last: Line | None = None  # the line of its lowest piece
    x0: float = 0.0
    x1: float = 0.0
    top: float = 0.0
    bottom: float = 0.0

    def add(self, words: list[Word], line: Line) -> None:
        if not self.pieces:
            self.x0, self.top = words[0].x0, line.top
        self.pieces.append(words)
        self.tops.append(round(line.top))
        self.last = line
        self.x0, self.x1 = min(self.x0, words[0].x0), max(self.x1, words[-1].x1)
        self.bottom = line.bottom

    @property
    def placed_spans(self) -> list[tuple[float, float, float]]:
        """(line top, left, right) of each piece."""
        return [(top, p[0].x0, p[-1].x1) for top, p in zip(self.tops, self.pieces, strict=True)]

    @property
    def placed_pieces(self) -> list[tuple[float, float, str]]:
        """(line top, left, text) of each piece."""
        return [
            (top, piece[0].x0, " ".join(w.text for w in piece))
            for top, piece in zip(self.tops, self.pieces, strict=True)
        ]


def _unruled_rows(lines: list[Line], cell_white: Callable[[Line], float], grid: Grid) -> list[list[str]]:
    """Cells from stacked line pieces, rows from cells whose vertical extents overlap.

    Which lines of a column stack into one cell depends on what separates the rows: horizontal rules
    where the table has them (all lines between two rules are one row, whatever their spacing);
    otherwise padding, when rows are further apart than the lines of a wrapped cell; and in a tight
    table (rows on the body's own line grid, no padding) a line of several cells starting in the first
    (key) column starts a row, other lines continue the cells above. Cells are also split where a word
    starts one of the table's columns (`_split_at_columns`).
    """
    pairs = list(zip(lines, lines[1:], strict=False))
    ruled_across = any(grid.boundary_between(a, b) for a, b in pairs)
    starts = _column_starts(lines)
    pieces = {id(line): _split_at_columns(line, starts) for line in lines}
    # Tight: every line at body spacing and a full line below the last (a cell centred against a taller
    # one stands between two lines: its row does not start where it stands), and several lines of several
    # cells (one row's wrapped lines alone are not a tight table: its short cells sit beside one of them).
    tight = (
        not ruled_across
        and all(b.top - a.bottom <= cell_white(b) for a, b in pairs)
        and all(b.top - a.top >= 0.75 * (a.bottom - a.top) for a, b in pairs)
        and sum(len(pieces[id(ln)]) > 1 for ln in lines) >= 2
    )
    first_column = min(ln.x0 for ln in lines)
    stack_white = _stacking_white([p for ln in lines for p in pieces[id(ln)]])

    def starts_row(line: Line) -> bool:
        # A new row fills the first (key) column and another; wrapped lines of cells do not.
        return line.x0 <= first_column + COLUMN_TOLERANCE and _fills_a_later_column(pieces[id(line)], starts)

    # Rules only above and below the body (booktabs): a band between two rules holding several rows.
    def in_key_column(line: Line) -> bool:
        return line.x0 <= first_column + COLUMN_TOLERANCE

    banded = _row_bands(lines, grid, cell_white, starts_row, in_key_column) if ruled_across else {}

    def continues(cell: _Cell, line: Line) -> bool:
        if ruled_across:
            if cell.last is None or grid.boundary_between(cell.last, line):
                return False
            if id(line) not in banded:
                return True
            # A band of several rows is read as a borderless table: tight, or apart by its padding.
            if starts_row(line):
                return False
            return banded[id(line)] or line.top - cell.bottom <= min(cell_white(line), stack_white)
        if tight and starts_row(line):
            return False
        return line.top - cell.bottom <= min(cell_white(line), stack_white)

    cells: list[_Cell] = []
    for line in lines:
        for words in pieces[id(line)]:
            x0, x1 = words[0].x0, words[-1].x1
            above = [
                c
                for c in cells
                if c.x0 - COLUMN_TOLERANCE < x1 and x0 < c.x1 + COLUMN_TOLERANCE and c.bottom <= line.centre
            ]
            below_of = max(above, key=lambda c: c.bottom, default=None)
            if below_of is not None and continues(below_of, line):
                below_of.add(words, line)
            else:
                cells.append(_Cell())
                cells[-1].add(words, line)
    columns = _aligned_columns(cells)
    rows: list[tuple[float, float, list[_Cell]]] = []
    for cell in sorted(cells, key=lambda c: (c.top, c.x0)):
        if rows:
            top, bottom, members = rows[-1]
            overlap = min(bottom, cell.bottom) - max(top, cell.top)
            if overlap > 0.5 * min(bottom - top, cell.bottom - cell.top):
                rows[-1] = (top, max(bottom, cell.bottom), [*members, cell])
                continue
        rows.append((cell.top, cell.bottom, [cell]))
    result = []
    for _, _, members in rows:
        pieces: list[list[tuple[float, float, str]]] = [[] for _ in columns]
        for cell in members:
            pieces[_column(columns, cell.x0)].extend(cell.placed_pieces)
        # The pieces of one column read line by line (a justified line may split into several pieces).
        result.append(_trimmed([" ".join(text for _, _, text in sorted(column)) for column in pieces]))
    return result


def _stacking_white(pieces: list[list[Word]]) -> float:
    """The most white between the lines of one cell, where this table shows it: between pieces stacked in
    one column, the white of a cell's own lines and the (padded) white between rows form two groups when
    rows are barely padded (1.2 against 2.6 points); the limit lies between them. One group: no limit."""
    spans = [(p[0].x0, p[-1].x1, *_span(p)) for p in pieces]
    height = median(bottom - top for _, _, top, bottom in spans)
    whites = []
    for x0, x1, top, _ in spans:
        above = [b for a0, a1, t, b in spans if a0 < x1 and x0 < a1 and t < top and b <= top + 1.0]
        if above:
            whites.append(top - max(above))
    near = sorted(w for w in whites if -1.0 <= w <= 0.5 * height)
    size, middle = max(((b - a, (a + b) / 2) for a, b in zip(near, near[1:], strict=False)), default=(0.0, 0.0))
    return middle if size >= max(1.0, 0.1 * height) else float("inf")


def _span(words: list[Word]) -> tuple[float, float]:
    return min(w.top for w in words), max(w.bottom for w in words)


def _row_bands(
    lines: list[Line],
    grid: Grid,
    cell_white: Callable[[Line], float],
    starts_row: Callable[[Line], bool],
    in_key_column: Callable[[Line], bool],
) -> dict[int, bool]:
    """The lines in bands between horizontal rules that hold several rows (id -> the band is tight: on
    the body's line grid). A ruled-across table rules every row, but a table ruled only above, under its
    header and below (booktabs, and its look-alikes in browsers and word processors) sets all its body
    rows between two rules, apart only as its key column and its padding show. A band is taken for
    several rows when at least three of its lines start a row (a row whose key and other cells both wrap
    has one such line more, never two more), or, in a padded band, when its key column starts a cell
    after padding at least twice (a cell of several paragraphs beside one key leaves its key alone)."""
    out: dict[int, bool] = {}
    band: list[Line] = []
    for line in [*lines, None]:
        if line is None or (band and grid.boundary_between(band[-1], line)):
            pairs = list(zip(band, band[1:], strict=False))
            tight = all(b.top - a.bottom <= cell_white(b) for a, b in pairs)
            padded_keys = sum(in_key_column(b) and b.top - a.bottom > cell_white(b) for a, b in pairs)
            if sum(starts_row(ln) for ln in band[1:]) >= 2 or (not tight and padded_keys >= 2):
                out |= dict.fromkeys((id(ln) for ln in band), tight)
            band = []
        if line is not None:
            band.append(line)
    return out


def _column_starts(lines: list[Line]) -> list[float]:
    """x where cells of several lines start: the table's columns as its lines show them."""
    found: dict[float, set[float]] = {}
    for line in lines:
        for x in _cluster([seg[0].x0 for seg in line.segments]):
            key = next((k for k in found if abs(k - x) <= COLUMN_TOLERANCE), x)
            found.setdefault(key, set()).add(line.top)
    spans = [(ln.top, w.x0, w.x1) for ln in lines for seg in ln.segments for w in seg]
    return sorted(x for x, tops in found.items() if _is_column(x, tops, spans))


def _is_column(x: float, tops: set[float], spans: Sequence[tuple[float, float, float]]) -> bool:
    """Cells start at `x` on several lines, and on more lines than run text across it (line top, x0, x1
    in `spans`). No line runs across a column's gutter but a few cells spanning it; the last words of
    justified lines in a narrow cell ("Organisational ar-" / "rangements and") may start near one
    another, but the other lines of that cell run across them."""
    return len(tops) >= 2 and len(tops) > len(_lines_across(x, spans))


def _lines_across(x: float, spans: Sequence[tuple[float, float, float]]) -> set[float]:
    """Tops of the lines whose text runs across `x`."""
    return {top for top, x0, x1 in spans if x0 < x - COLUMN_TOLERANCE and x1 > x + 1}


def _fills_a_later_column(cells: list[list[Word]], starts: list[float]) -> bool:
    """A cell after the first starts where a column of the table starts (not a word set apart by a
    justified line's stretched spaces)."""
    return any(abs(cell[0].x0 - x) <= COLUMN_TOLERANCE for cell in cells[1:] for x in starts)


def _split_at_columns(line: Line, starts: list[float]) -> list[list[Word]]:
    """The line's cells, also split where a word starts a column of the table: a cell set beside a
    justified line of another cell is no farther from it than the stretched spaces of that line, and a
    word run out of its narrow cell (one TeX could not hyphenate) only a word space."""
    out: list[list[Word]] = []
    for seg in line.segments:
        piece = [seg[0]]
        for word in seg[1:]:
            at_column = any(abs(word.x0 - x) <= COLUMN_TOLERANCE for x in starts)
            if at_column and word.x0 - piece[-1].x1 > 0.15 * line.size:
                out.append(piece)
                piece = []
            piece.append(word)
        out.append(piece)
    return out


def _aligned_columns(cells: list[_Cell]) -> list[float]:
    """Left edges of the table's columns: where cells of several lines start. A piece starting where
    no other line has a cell (a word set apart by a justified line's stretched space) stays in the
    column to its left."""
    columns = _cluster([c.x0 for c in cells])
    starts: dict[float, set[float]] = {x: set() for x in columns}
    for cell in cells:
        starts[columns[_column(columns, cell.x0)]].add(cell.top)
    spans = [(top, x0, x1) for c in cells for top, x0, x1 in c.placed_spans]
    aligned = [x for i, x in enumerate(columns) if i == 0 or _is_column(x, starts[x], spans)]
    if len(aligned) >= 2:
        return aligned
    # Cells of one line each (a two-cell header): a column starts where no line runs across it.
    return [x for i, x in enumerate(columns) if i == 0 or not _lines_across(x, spans)]


def _column(columns: Sequence[float], x0: float) -> int:
    return max([k for k, x in enumerate(columns) if x <= x0 + COLUMN_TOLERANCE], default=0)


def _trimmed(cells: list[str]) -> list[str]:
    while cells and not cells[-1]:
        cells.pop()
    return cells
