"""Words broken at a line end: a typesetter's hyphenation ("in-" / "formed") or a compound ("long-" / "term").

A PDF keeps only the hyphen glyph; PDFium marks every hyphen at a line end alike. Typesetting systems
(TeX, troff) hyphenate words freely, office suites rarely do, and both break compounds at their
hyphen. The document itself tells them apart first: a word that occurs elsewhere in it unbroken
("informed") was hyphenated by the typesetter; one that occurs with its hyphen ("long-term") is a
compound. A word seen neither way keeps its hyphen, unless the document's producer is seen to
hyphenate (most attested breaks are hyphenations: "convic-" / "tions"). Then an English word list
decides: the pieces joined make a word ("under-" / "take") or the piece after the break is none
("await-" / "ing"): a hyphenation; two words that joined make none ("self-" / "identified",
"co-" / "location"): a compound. A capital after the break ("R-" / "CATs") never follows a
typesetter's hyphen. The known limit: a compound whose pieces also make a word ("pro-" / "active"),
broken at a line end and seen nowhere else in a hyphenating document, loses its hyphen.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from ingestion.extract.english_words import is_english_word

_EDGE = re.compile(r"^[^\w]+|[^\w]+$")
# "analyti- cal" inside a table cell: a word broken at the cell's line end, its pieces joined by a space.
_BROKEN_IN_CELL = re.compile(r"(\w+)- (\w+)")

# "Implementa tion": a word too long for its narrow cell, cut at the cell's edge with no hyphen.
_CUT_IN_CELL = re.compile(r"\b([A-Za-z]{3,}) ([a-z]{2,})\b")

# "pre- and post-sentence": a hyphen suspended before a conjunction is no break in a word.
_SUSPENDED = frozenset({"and", "or", "to"})


def _plain(token: str) -> str:
    return _EDGE.sub("", token).lower()


# Endings under which the document shows a word it may not show bare ("offence" in "offences").
_ENDINGS = ("s", "es", "d", "ed", "ing", "er", "ers", "ly")


class Vocabulary:
    """The words of one document, to decide how a word broken at a line end is rejoined."""

    def __init__(self, words: Iterable[str]) -> None:
        # The piece after a break is no word of its own ("tions"): only words seen elsewhere count.
        seen: Counter[str] = Counter()
        breaks: list[tuple[str, str]] = []
        previous = ""
        for word in words:
            if previous.endswith("-") and len(previous) > 1:
                breaks.append((_plain(previous), _plain(word)))
            elif not word.endswith("-"):
                seen[_plain(word)] += 1
            previous = word
        self.words = set(seen)
        # Does this document's producer hyphenate words (typesetters do, office suites rarely)? Decided
        # on the breaks whose reading is attested, and used for the breaks seen neither way.
        soft = sum(f"{h}{t}" in self.words and f"{h}-{t}" not in self.words for h, t in breaks)
        hard = sum(f"{h}-{t}" in self.words for h, t in breaks)
        self.hyphenates = soft >= max(3, 2 * hard)

    def hyphen_is_soft(self, head: str, tail: str) -> bool:
        """True when `head`- / `tail` is one word the typesetter hyphenated (drop the hyphen)."""
        head, tail = _plain(head.rstrip("-")), _plain(tail)
        if f"{head}-{tail}" in self.words or tail in _SUSPENDED:
            return False
        if f"{head}{tail}" in self.words:
            return True
        if not self.hyphenates:
            return False
        # "18–25-year-" / "old": the last piece of the head is the word broken.
        last = re.split(r"[-\u2010\u2013]", head)[-1]
        if self.is_word(f"{last}{tail}"):
            return True
        # Two words that joined make none are a compound; a piece after a typesetter's break is rarely a word.
        return not (self.is_word(last) and self.is_word(tail))

    def is_word(self, word: str) -> bool:
        """A word of the document (bare or with an ending), or of the English word list."""
        if not word:
            return False
        return word in self.words or any(word + end in self.words for end in _ENDINGS) or is_english_word(word)

    def join_lines(self, text: str, more: str) -> str:
        """`text` and the next line `more` of one paragraph, rejoined."""
        if text.endswith("-") and not text.endswith(" -") and more[:1].isalnum():
            head, tail = text.rsplit(" ", 1)[-1], more.split(" ", 1)[0]
            return text[:-1] + more if more[:1].islower() and self.hyphen_is_soft(head, tail) else text + more
        # A range broken after its dash ("12–" / "13 weeks") is rejoined too, as browsers do.
        if text.endswith("\u2013") and text[-2:-1].isalnum() and more[:1].isalnum():
            return text + more
        return f"{text} {more}"

    def mend_cell(self, text: str) -> str:
        """A table cell's text with words broken at its line ends rejoined."""
        text = _CUT_IN_CELL.sub(self._mend_cut, text)
        if "- " not in text:
            return text

        def mend(m: re.Match[str]) -> str:
            head, tail = m.group(1), m.group(2)
            if _plain(tail) in _SUSPENDED:
                return m.group(0)  # "pre- and post-sentence": a suspended hyphen stays
            if tail[:1].islower() and self.hyphen_is_soft(head, tail):
                return head + tail
            return f"{head}-{tail}"  # a compound broken at its hyphen ("decision-" / "making")

        return _BROKEN_IN_CELL.sub(mend, text)

    def _mend_cut(self, m: re.Match[str]) -> str:
        """Two pieces that are no words, joined make one: a word processor cut a word too long for its
        cell where the cell ended, with no hyphen ("Implementa" / "tion")."""
        head, tail = m.group(1).lower(), m.group(2)
        # The pieces are asked of the word list only: the document itself holds them, as read here.
        if is_english_word(head) or is_english_word(tail) or not self.is_word(head + tail):
            return m.group(0)
        return m.group(1) + tail
