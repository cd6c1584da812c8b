"""Is this an English word? pyspellchecker's word list, which spells the American way, asked also for
the American spelling of a British word ("offence" -> "offense", "organisation" -> "organization")."""

from __future__ import annotations

import re
from functools import cache

from spellchecker import SpellChecker

# British spelling -> American, applied together: enough for a word list lookup, not a spelling converter.
_TO_AMERICAN = [
    (re.compile(r"our(s|ed|ing|ful|ite|ites|able|ably|ist|ists|ism|less)?$"), r"or\1"),  # behaviour, favourable
    (re.compile(r"ence(s)?$"), r"ense\1"),  # offence, licence, defence
    (re.compile(r"is(e|ed|es|ing|er|ers|ation|ations|ational)$"), r"iz\1"),  # organisation, prioritised
    (re.compile(r"ys(e|ed|es|ing)$"), r"yz\1"),  # analyse
    (re.compile(r"([^aeiou])re(s|d)?$"), r"\1er\2"),  # centre, metres
    (re.compile(r"mme(s)?$"), r"m\1"),  # programme
    (re.compile(r"ogue(s)?$"), r"og\1"),  # catalogue
    (re.compile(r"([aeiou])ll(ed|ing|er|ers)$"), r"\1l\2"),  # travelled, counselling
    (re.compile(r"^(p|an)ae"), r"\1e"),  # paediatric, anaemia
    (re.compile(r"oe(\w)"), r"e\1"),  # manoeuvre, oestrogen
]


@cache
def _word_list() -> SpellChecker:
    # Loaded once per process, and only when a line-end hyphen is not settled by the document (~0.2 s).
    return SpellChecker(language="en", distance=1)


def _american(word: str) -> str:
    for pattern, replacement in _TO_AMERICAN:
        word = pattern.sub(replacement, word)
    return word


def is_english_word(word: str) -> bool:
    """`word` (lower case) is in the word list, as spelt or in its American spelling."""
    if not word.isalpha():
        return False
    words = _word_list()
    return word in words or _american(word) in words
