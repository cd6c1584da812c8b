"""Which listed reports are PDU inspection reports. One small rule, applied to every piece of evidence we have.

The rule, in order:
1. If any evidence (listing title, link text, URL) names another kind of report, skip it with that kind as the
   reason: "youth" (youth justice / youth offending services), "regional", "thematic", and a few other
   publication kinds listed in `OTHER_KINDS`.
2. Otherwise take it only if some evidence says it is about a Probation Delivery Unit: the word "PDU" or
   "probation delivery unit" (titles read "An inspection of probation services in: <name> PDU").
3. Otherwise, evidence with the word "region" is a regional report ("probation services in: the North West region").
4. Anything else is skipped as "not a PDU inspection report".

Evidence is compared as lower-case words (URLs split on any non-alphanumeric character), so "doncaster-youth-2024"
and "Youth justice services in Doncaster" both match "youth", while a slug alone is never relied on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

# (words that must all appear, reason). Checked in order; the first match wins.
OTHER_KINDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("youth",), "youth justice report"),
    (("yjs",), "youth justice report"),
    (("yos",), "youth justice report"),
    (("regional",), "regional report"),
    (("thematic",), "thematic report"),
    (("annual", "report"), "annual report"),
    (("effective", "practice"), "effective practice guide"),
    (("research",), "research publication"),
)
PDU_PHRASES = (("pdu",), ("pdus",), ("probation", "delivery", "unit"))


@dataclass(frozen=True)
class Decision:
    take: bool
    reason: str  # why it was skipped, or "PDU inspection report"


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", unquote(text).lower())


def _contains(tokens: list[str], phrase: tuple[str, ...]) -> bool:
    """True when the words of `phrase` appear consecutively (single words: anywhere)."""
    n = len(phrase)
    if n == 1:
        return phrase[0] in tokens
    return any(tuple(tokens[i : i + n]) == phrase for i in range(len(tokens) - n + 1))


def classify(*evidence: str | None) -> Decision:
    """Decide from titles, link texts and URLs whether this is a PDU inspection report (see module docstring)."""
    texts = [words(e) for e in evidence if e]
    for phrase, reason in OTHER_KINDS:
        # multi-word kinds must sit together in one piece of evidence ("annual report", not "annual" + "report")
        if any(_contains(tokens, phrase) for tokens in texts):
            return Decision(False, reason)
    if any(_contains(tokens, phrase) for tokens in texts for phrase in PDU_PHRASES):
        return Decision(True, "PDU inspection report")
    if any("region" in tokens for tokens in texts):
        return Decision(False, "regional report")
    return Decision(False, "not a PDU inspection report")


def is_other_kind(*evidence: str | None) -> Decision | None:
    """The rule-1 verdict alone: a skip Decision when the evidence names another kind of report, else None.

    Used on the listing so obvious non-PDU entries are skipped without fetching their page.
    """
    decision = classify(*evidence)
    strong = {reason for _, reason in OTHER_KINDS}
    return decision if not decision.take and decision.reason in strong else None
