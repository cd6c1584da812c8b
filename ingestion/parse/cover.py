"""Cover and front matter: PDU, region, publication month, inspectors, ISBN; and what kind of report this is."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ingestion.document import Block
from ingestion.errors import NotAReportError
from ingestion.parse.text_patterns import MONTH_NAME, joined, year_month
from ingestion.reference import directory_spelling

FRONT_BLOCKS = 40  # the cover, contents and acknowledgements fit well within this

_TITLE = re.compile(r"inspection of (?P<what>[\w ,]{0,60}?)services in:?\s*(?P<rest>.*)", re.IGNORECASE | re.DOTALL)
_REGION = re.compile(
    r"The Probation Service\s*[–—-]\s*(?P<region>[A-Z][\w ,&'-]+?)(?:\s+region\b|\s*$)", re.MULTILINE | re.IGNORECASE
)  # "... – South West region", or "... – Wales" (a region without the word); any case (a title set in capitals)
# Small words a name set in capitals keeps in lower case once recased ("Isle of Wight").
_SMALL_WORDS = frozenset({"and", "the", "of", "on", "upon", "in", "with", "under"})
_PUBLISHED = re.compile(r"HM Inspectorate of Probation,\s*" + MONTH_NAME + r"\s+(\d{4})")
_PUBLISHED_LABEL = re.compile(r"Published:?\s*(?:\d{1,2}\s+)?" + MONTH_NAME + r"\s+(\d{4})")
_LEAD = re.compile(
    r"led by (?:HM\s+Inspector|HMI\s+Probation\s+inspector|Inspector)?\s*(?P<name>[A-Z][\w.' -]+?)\s*(?:,|\bsupported\b|\band\b|\.)"
)
_CHIEF = re.compile(r"(?:HM\s+)?Chief\s+Inspector\s+of\s+Probation", re.IGNORECASE)
_POST_NOMINALS = re.compile(r"(?:\s+(?:CBE|OBE|MBE|KC|QC|DL|JP))+\s*$")
_ISBN = re.compile(r"ISBN:?\s*(97[89][\d\- ]{9,16}\d)")
# The 12 probation regions of England and Wales (DOMAIN.md): a fallback when the cover has no region line.
KNOWN_REGIONS = (
    "East Midlands",
    "East of England",
    "Greater Manchester",
    "Kent, Surrey and Sussex",
    "London",
    "North East",
    "North West",
    "South Central",
    "South West",
    "Wales",
    "West Midlands",
    "Yorkshire and the Humber",
)
_KNOWN_REGION = re.compile(r"\b(" + "|".join(re.escape(r) for r in KNOWN_REGIONS) + r")(?:\s+probation)?\s+region\b")
_NAME = re.compile(r"^[A-Z][a-zA-Z'’-]+(?:\s+[A-Z][a-zA-Z'’-]+){1,3}$")


@dataclass
class Cover:
    pdu: str
    region: str | None
    published: str
    lead_inspector: str | None
    chief_inspector: str | None
    isbn: str | None


def _title(front: str) -> re.Match[str]:
    match = _TITLE.search(front)
    if match is None:
        raise NotAReportError("no report title 'An inspection of probation services in ...' on the cover")
    what = match.group("what").lower()
    if "youth" in what:
        raise NotAReportError("youth justice inspection report, not a PDU inspection (out of scope)")
    if "probation" not in what:
        raise NotAReportError(f"inspection of '{what.strip()} services', not a PDU probation inspection")
    return match


def _pdu_name(rest: str) -> str:
    # The name runs up to the region line or the publisher line, whichever comes first.
    name = re.split(r"The Probation Service|HM Inspectorate of Probation|Published:|\n\n", rest, flags=re.IGNORECASE)[0]
    name = " ".join(name.replace("*", " ").split())
    name = re.sub(r"\s*\(Back to top\)$", "", name, flags=re.IGNORECASE)
    if re.search(r"\bregion\b", name, re.IGNORECASE) and not re.search(r"\bPDU\b", name):
        raise NotAReportError(f"regional inspection report ('{name}'), not a PDU inspection (out of scope)")
    name = re.sub(r"\s*(?:Probation Delivery Unit|PDU)\s*(?:20\d\d)?\s*$", "", name, flags=re.IGNORECASE).strip(" ,:-")
    if not name or len(name) > 80:
        raise NotAReportError("PDU name not found after 'An inspection of probation services in'")
    return _recased(name) if name.isupper() else name


def _recased(name: str) -> str:
    """A name set in capitals ("PORTSMOUTH AND THE ISLE OF WIGHT"), as the PDU directory spells it, or
    with its words capitalised but the small ones."""
    known = directory_spelling(name)
    if known is not None:
        return known
    words = name.lower().split()
    return " ".join(w if i and w in _SMALL_WORDS else w[:1].upper() + w[1:] for i, w in enumerate(words))


def _published(text: str) -> str:
    for pattern in (_PUBLISHED, _PUBLISHED_LABEL):
        match = pattern.search(text)
        if match:
            return year_month(match.group(1), match.group(2))
    raise NotAReportError("publication month not found ('HM Inspectorate of Probation, <Month YYYY>')")


def _chief_inspector(blocks: list[Block]) -> str | None:
    for i, block in enumerate(blocks):
        if len(block.text) > 120:
            continue  # a signature line is short; long paragraphs merely mention the Chief Inspector
        match = _CHIEF.search(block.text)
        if not match:
            continue
        before = _POST_NOMINALS.sub("", block.text[: match.start()].strip())
        if _NAME.match(before):
            return before
        for previous in reversed(blocks[max(0, i - 2) : i]):
            candidate = _POST_NOMINALS.sub("", previous.text.strip())
            if _NAME.match(candidate):
                return candidate
    return None


def _region(front: str, text: str) -> str | None:
    match = _REGION.search(front)
    if match:
        region = match.group("region").strip()
        # A region set in capitals takes the spelling of the one it names.
        return next((known for known in KNOWN_REGIONS if known.lower() == region.lower()), region)
    # Otherwise the known region the report names most often ("... one of nine PDUs in South West region").
    mentions = Counter(m.group(1) for m in _KNOWN_REGION.finditer(text))
    return mentions.most_common(1)[0][0] if mentions else None


def parse_cover(blocks: list[Block]) -> Cover:
    front_blocks = blocks[:FRONT_BLOCKS]
    front = "\n\n".join(b.text for b in front_blocks)
    title = _title(front)
    text = joined(blocks)
    lead = _LEAD.search(text)
    isbn = _ISBN.search(text)
    return Cover(
        pdu=_pdu_name(title.group("rest")),
        region=_region(front, text),
        published=_published(front),
        lead_inspector=lead.group("name").strip() if lead else None,
        chief_inspector=_chief_inspector(blocks),
        isbn=re.sub(r"\s", "", isbn.group(1)) if isbn else None,
    )
