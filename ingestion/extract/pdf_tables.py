"""Tables from positioned text: which lines form a table, and how they split into rows and cells.

Drawn rules are the best evidence: vertical rules bound the columns, horizontal rules (and
the ends of per-row cell borders) separate the rows, and a line enclosed by vertical rules
sits in a table even when only one cell is filled. Without rules, columns are the clustered
left edges of the cells and rows start at a vertical gap or a line with several cells.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ingestion.extract.pdf_layout import Line

THIN = 2.0  # at most this thick, a drawn path is a line rather than a box
COLUMN_TOLERANCE = 4.0  # points between left edges that still count as one column


@dataclass(frozen=True)
class Rule:
    """The box of a drawn line or rectangle edge, top-down coordinates."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def horizontal(self) -> bool:
        return self.bottom - self.top <= THIN and self.x1 - self.x0 > THIN

    @property
    def vertical(self) -> bool:
        return self.x1 - self.x0 <= THIN and self.bottom - self.top > THIN


def edges_of_box(x0: float, top: float, x1: float, bottom: float) -> list[Rule]:
    """A thin path is one rule; a filled or stroked box contributes its four edges."""
    if bottom - top <= THIN or x1 - x0 <= THIN:
        return [Rule(x0, top, x1, bottom)]
    return [Rule(x0, top, x1, top), Rule(x0, bottom, x1, bottom), Rule(x0, top, x0, bottom), Rule(x1, top, x1, bottom)]


def _centre(line: Line) -> float:
    return (line.top + line.bottom) / 2


class Grid:
    """The rules of one page, asked about the lines of text on it."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.h = [r for r in rules if r.horizontal]
        self.v = [r for r in rules if r.vertical]

    def enclosed(self, line: Line) -> bool:
        y = _centre(line)
        right = line.segments[-1][-1].x1
        spanning = [r.x0 for r in self.v if r.top <= y <= r.bottom]
        return any(x <= line.x0 + 1 for x in spanning) and any(x >= right - 1 for x in spanning)

    def boundary_between(self, upper: Line, lower: Line, margin: float = 12.0) -> bool:
        """A horizontal rule, or the end of a cell's side border, lies between the two lines.

        Borders sit in the cell padding, so rules up to `margin` points beside the text count.
        """
        a, b = _centre(upper), _centre(lower)
        left = min(upper.x0, lower.x0) - margin
        right = max(upper.segments[-1][-1].x1, lower.segments[-1][-1].x1) + margin
        if any(a < (r.top + r.bottom) / 2 < b and r.x0 < right and r.x1 > left for r in self.h):
            return True
        return any(a < y < b for r in self.v if left - 2 <= r.x0 <= right + 2 for y in (r.top, r.bottom))

    def column_edges(self, top: float, bottom: float) -> list[float]:
        xs = sorted(r.x0 for r in self.v if r.top < bottom and r.bottom > top)
        return _cluster(xs)


def _cluster(xs: Sequence[float]) -> list[float]:
    out: list[float] = []
    for x in sorted(xs):
        if not out or x - out[-1] > COLUMN_TOLERANCE:
            out.append(x)
    return out


def table_rows(lines: Sequence[Line], grids: Sequence[Grid], gap_em: float) -> list[list[str]]:
    """Rows of cells (trailing empty cells dropped, as in the text conversions)."""
    rows: list[list[str]] = []
    for page, fragment in groupby(lines, key=lambda ln: ln.page):
        part = _fragment_rows(list(fragment), grids[page], gap_em)
        if rows and part and part[0] == rows[0]:
            part = part[1:]  # the header row repeated on the next page
        rows.extend(part)
    return rows


def _fragment_rows(lines: list[Line], grid: Grid, gap_em: float) -> list[list[str]]:
    edges = grid.column_edges(lines[0].top, lines[-1].bottom)
    ruled = len(edges) >= 2
    # Cell borders bound the columns (words are then placed one by one, as cells may touch);
    # otherwise each cluster of cells' left edges is a column.
    columns = edges[:-1] if ruled else _cluster([seg[0].x0 for ln in lines for seg in ln.segments])
    span = max(ln.segments[-1][-1].x1 for ln in lines) - min(ln.x0 for ln in lines)
    rows: list[list[list[str]]] = []
    for i, line in enumerate(lines):
        if i == 0:
            new_row = True
        elif ruled:
            new_row = grid.boundary_between(lines[i - 1], line, margin=span)
        else:
            new_row = line.is_multi_cell or line.top - lines[i - 1].bottom > gap_em * line.size
        if new_row:
            rows.append([[] for _ in columns])
        pieces = [[w] for seg in line.segments for w in seg] if ruled else line.segments
        for piece in pieces:
            col = max([k for k, x in enumerate(columns) if x <= piece[0].x0 + COLUMN_TOLERANCE], default=0)
            rows[-1][col].append(" ".join(w.text for w in piece))
    result = []
    for row in rows:
        cells = [" ".join(parts) for parts in row]
        while cells and not cells[-1]:
            cells.pop()
        result.append(cells)
    return result
