"""Small text helpers shared by the section parsers: months, dates, block matching."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ingestion.document import Block, BlockKind

_MONTH_NAMES = "January February March April May June July August September October November December".split()  # noqa: SIM905
MONTHS = {name.lower(): number for number, name in enumerate(_MONTH_NAMES, start=1)}
MONTH_NAME = "(" + "|".join(_MONTH_NAMES) + ")"
SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰"


def month_number(name: str) -> int:
    return MONTHS[name.lower()]


def year_month(month_name: str, year: str) -> str:
    return f"{int(year):04d}-{month_number(month_name):02d}"


def squash(text: str) -> str:
    """Lower-case letters and digits only: matches words the converter split or glued ("Ove rall")."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def strip_superscripts(text: str) -> str:
    return text.translate({ord(c): None for c in SUPERSCRIPTS})


def is_prose(block: Block) -> bool:
    kind = block.kind  # identity tests: called for most blocks of every section scan
    return kind is BlockKind.PARAGRAPH or kind is BlockKind.HEADING


def find_heading(blocks: list[Block], pattern: re.Pattern[str], start: int = 0) -> int | None:
    """Index of the first heading-like block (paragraph or heading) at or after `start` matching `pattern`."""
    for i in range(start, len(blocks)):
        if is_prose(blocks[i]) and pattern.match(blocks[i].text.strip()):
            return i
    return None


def joined(blocks: Iterable[Block]) -> str:
    return "\n".join(b.text for b in blocks)
