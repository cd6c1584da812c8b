"""The ratings table: overall rating, score, fieldwork month and every rated standard.

Rows are read from their text (cells joined by spaces), so tab-separated, pipe, HTML and
PDF tables, and rows whose cells the converter glued or split, all read the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingestion.document import Block, BlockKind
from ingestion.errors import NotAReportError
from ingestion.parse.domain import RATING_ALTERNATIVES, normalise_rating, trailing_rating
from ingestion.parse.text_patterns import MONTH_NAME, find_heading, squash, year_month

_RATINGS_HEADING = re.compile(r"^Ratings?(?:\s*\(Back to top\))?$", re.IGNORECASE)
_END_HEADING = re.compile(r"^(Recommendations|Background|Foreword)\b", re.IGNORECASE)
_SCORE = re.compile(r"\b(\d{1,2})\s*/\s*(\d{1,2})\b")
_FIELDWORK = re.compile(r"started:?\s+" + MONTH_NAME + r"\s+(\d{4})", re.IGNORECASE)
_STANDARD_ROW = re.compile(
    r"^(?P<prefix>P\s*)?(?P<domain>\d{1,2})\s*\.\s*(?P<num>\d{1,2})\.?\s*(?P<name>[A-Za-z][^|]*?)\s*"
    rf"(?P<rating>{RATING_ALTERNATIVES})\b",
    re.IGNORECASE,
)
# The same row when the rating's word is split ("Outstandi ng"): the rating is found at the row's end.
_STANDARD_HEAD = re.compile(r"^(?P<prefix>P\s*)?(?P<domain>\d{1,2})\s*\.\s*(?P<num>\d{1,2})\.?\s*(?P<rest>[A-Za-z].*)$")
_DOMAIN_ROW = re.compile(r"^(?P<domain>\d{1,2})\s*\.\s+(?P<name>[A-Za-z].+)$")


@dataclass
class RatedStandard:
    code: str
    name: str
    domain: int
    rating: str


@dataclass
class RatingsTable:
    overall_rating: str
    score: int | None
    max_score: int | None
    fieldwork_month: str | None
    standards: list[RatedStandard]
    prefixed_codes: bool  # "P 1.1" style codes (2024 framework)
    body_start: int  # index of the first block after the table: where the body can begin
    domain_names: dict[int, str] = field(default_factory=dict)


def _table_region(blocks: list[Block]) -> tuple[int, int]:
    """Block range from the 'Ratings' heading to the next section; the whole document without one."""
    start = find_heading(blocks, _RATINGS_HEADING)
    if start is None:
        return 0, len(blocks)
    return start + 1, find_heading(blocks, _END_HEADING, start + 1) or len(blocks)


def _overall(region: list[Block]) -> str | None:
    for block in region:
        squashed = squash(block.text)
        if "overallrating" in squashed:
            rating = normalise_rating(block.text)
            if rating:
                return rating
    return None


def _unknown_overall(region: list[Block]) -> str | None:
    """The word beside 'Overall rating' when it is no rating of the scale (misspelt), else None."""
    for block in region:
        if "overallrating" in squash(block.text) and block.cells:
            filled = [c for c in block.cells if c.strip()]
            if filled and "rating" not in filled[-1].lower():
                return filled[-1]
    return None


def _standard_row(text: str, cells: tuple[str, ...] = ()) -> RatedStandard | None:
    if m := _STANDARD_ROW.match(text):
        name, rating = m.group("name"), normalise_rating(m.group("rating")) or ""
    elif (m := _STANDARD_HEAD.match(text)) and (split := trailing_rating(m.group("rest"))) and split[0]:
        name, rating = split
    elif (m := _STANDARD_HEAD.match(text)) and (split := _unknown_rating(m.group("rest"), cells)):
        # A standard row whose rating is no word of the scale ("Inadequte"): kept with that word, so the
        # gate names it rather than reporting the standard lost and the score not adding up.
        name, rating = split
    else:
        return None
    code = f"{int(m.group('domain'))}.{int(m.group('num'))}"
    return RatedStandard(code, " ".join(name.split()), int(m.group("domain")), rating)


def _unknown_rating(rest: str, cells: tuple[str, ...]) -> tuple[str, str] | None:
    """(name, rating word) of a standard row whose last cell (or, without cells, last word) is not a rating."""
    filled = [" ".join(c.split()) for c in cells if c.strip()]
    word = filled[-1] if len(filled) >= 2 and rest.endswith(filled[-1]) else rest.split()[-1]
    name = rest[: len(rest) - len(word)].strip()
    if not name or not re.fullmatch(r"[A-Za-z][A-Za-z '-]*", word) or len(word) > 30:
        return None  # a name without its rating cell: the standard is reported as not read
    return name, word


def parse_ratings_table(blocks: list[Block]) -> RatingsTable:
    first, last = _table_region(blocks)
    region = blocks[first:last]
    overall = _overall(region)
    if overall is None:
        if word := _unknown_overall(region):
            raise NotAReportError(f"ratings table: overall rating '{word}' is not a rating")
        raise NotAReportError(
            "no ratings table: 'Overall rating' with a rating not found (truncated or not a PDU report)"
        )
    standards: list[RatedStandard] = []
    domain_names: dict[int, str] = {}
    prefixed = False
    score = max_score = None
    fieldwork = None
    for block in region:
        if block.kind is BlockKind.LIST_ITEM:
            continue
        text = " ".join(block.text.split())
        if score is None and (m := _SCORE.search(text)):
            score, max_score = int(m.group(1)), int(m.group(2))
        if fieldwork is None and (m := _FIELDWORK.search(text)):
            fieldwork = year_month(m.group(1), m.group(2))
        if row := _standard_row(text, block.cells):
            if any(s.code == row.code for s in standards):
                continue
            prefixed = prefixed or text.startswith("P")
            standards.append(row)
        elif m := _DOMAIN_ROW.match(text):
            domain_names.setdefault(int(m.group("domain")), m.group("name").strip())
    if not standards:
        raise NotAReportError("ratings table has no rated standards (e.g. '1.1 Leadership Good')")
    last_row = max(i for i, b in enumerate(region) if _standard_row(" ".join(b.text.split()), b.cells))
    return RatingsTable(overall, score, max_score, fieldwork, standards, prefixed, first + last_row + 1, domain_names)
