"""Standard sections in the body: where each starts and ends, its key questions, and Outcomes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingestion.document import Block, BlockKind
from ingestion.parse.ratings_table import RatedStandard
from ingestion.parse.text_patterns import is_prose, squash, strip_superscripts

_SECTION_CODE = re.compile(
    r"^(?:P\s*)?(?P<domain>\d{1,2})\s*\.\s*(?P<num>\d{1,2})\.?\s+(?P<name>.+?)(?:\s*\(Back to top\))?$"
)
_OUTCOMES = re.compile(
    r"^(?:P\s*)?(?:(?P<code>\d\s*\.\s*\d{1,2})\.?\s+)?Outcomes(?:\s*\(Back to top\))?$", re.IGNORECASE
)
_DOMAIN_HEADING = re.compile(r"^\d\.\s")
_BACK_TO_TOP = re.compile(r"\s*\(Back to top\)$", re.IGNORECASE)
_END = re.compile(r"^(Annexe|Appendix|Glossary)\b", re.IGNORECASE)
# A key-question row: the question (ends with '?') then its percentage, whatever separates them.
_QUESTION = re.compile(r"^(?P<text>.{10,}?\?)\s*(?P<pct>-?\d{1,4}(?:\.\d+)?)\s*%$", re.DOTALL)
_PCT_CELL = re.compile(r"^(?P<pct>-?\d{1,4}(?:\.\d+)?)\s*%$")
MIN_QUESTION_CHARS = 20


@dataclass
class Section:
    start: int  # index of the heading block
    end: int  # exclusive
    blocks: list[Block]


@dataclass
class Question:
    text: str
    pct_yes: int


def _heading_code(block: Block) -> tuple[str, str] | None:
    """(code, name) of a standard heading such as "2.2. Assessment" or "P 1.1. Leadership"."""
    if not is_prose(block) or len(block.text) > 120:
        return None
    match = _SECTION_CODE.match(block.text.strip())
    if not match:
        return None
    return f"{int(match.group('domain'))}.{int(match.group('num'))}", match.group("name")


def _same_name(heading: str, table: str) -> bool:
    # Prefix match tolerates small differences between the table and the heading ("Staff"/"Staffing").
    heading, table = squash(heading), squash(table)
    return heading.startswith(table[:6]) or table.startswith(heading[:6])


def _is_boundary(block: Block, domain_headings: set[str]) -> bool:
    """Outcomes, an annexe, or a domain heading such as "2. Court work and case supervision"."""
    if not is_prose(block) or len(block.text) > 120:
        return False
    text = _BACK_TO_TOP.sub("", block.text).strip()  # a website heading printed to PDF keeps its link text
    if _OUTCOMES.match(text) or _END.match(text):
        return True
    return bool(_DOMAIN_HEADING.match(text)) and squash(text)[1:] in domain_headings


def locate_sections(
    blocks: list[Block], standards: list[RatedStandard], domain_names: dict[int, str], body_start: int
) -> dict[str, Section]:
    """Each rated standard's section, from its heading to the next standard, domain, Outcomes or annexe."""
    names = {standard.code: standard.name for standard in standards}
    starts: dict[str, int] = {}
    for i in range(body_start, len(blocks)):
        found = _heading_code(blocks[i])
        if found and found[0] in names and found[0] not in starts and _same_name(found[1], names[found[0]]):
            starts[found[0]] = i
    ordered = sorted(starts.items(), key=lambda item: item[1])
    domain_headings = {squash(name) for name in domain_names.values()}
    sections: dict[str, Section] = {}
    for position, (code, start) in enumerate(ordered):
        limit = ordered[position + 1][1] if position + 1 < len(ordered) else len(blocks)
        end = next((i for i in range(start + 1, limit) if _is_boundary(blocks[i], domain_headings)), limit)
        sections[code] = Section(start, end, blocks[start + 1 : end])
    return sections


def read_questions(blocks: list[Block]) -> list[Question]:
    """Key-question rows of a section, in order."""
    questions: list[Question] = []
    for block in blocks:
        if block.kind is BlockKind.LIST_ITEM:
            continue
        if block.kind is BlockKind.TABLE_ROW and len([c for c in block.cells if c]) >= 2:
            cells = [c for c in block.cells if c]
            pct = _PCT_CELL.match(cells[-1])
            text = _clean(" ".join(cells[:-1]))
            if pct and len(text) >= MIN_QUESTION_CHARS:
                questions.append(Question(text, _percentage(pct.group("pct"))))
            continue
        match = _QUESTION.match(" ".join(block.text.split()))
        if match:
            questions.append(Question(_clean(match.group("text")), _percentage(match.group("pct"))))
    return questions


def _percentage(text: str) -> int:
    # Reports print whole percentages; a decimal one is rounded half up, not truncated.
    return int(float(text) + 0.5) if "." in text else int(text)


def _clean(text: str) -> str:
    return " ".join(strip_superscripts(text).split())


@dataclass
class OutcomesSection:
    code: str | None
    blocks: list[Block]


def locate_outcomes(blocks: list[Block], body_start: int) -> OutcomesSection | None:
    for i in range(body_start, len(blocks)):
        block = blocks[i]
        if is_prose(block) and (match := _OUTCOMES.match(block.text.strip())):
            end = next(
                (j for j in range(i + 1, len(blocks)) if is_prose(blocks[j]) and _END.match(blocks[j].text)),
                len(blocks),
            )
            code = re.sub(r"\s", "", match.group("code")) if match.group("code") else None
            return OutcomesSection(code, blocks[i + 1 : end])
    return None
