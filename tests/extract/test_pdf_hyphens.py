"""Words broken at a line end: the document first, then the English word list, decide hyphen or not."""

from __future__ import annotations

import pytest

from ingestion.extract.english_words import is_english_word
from ingestion.extract.pdf_hyphens import Vocabulary

# A document whose producer hyphenates (most attested breaks are hyphenations, as troff and TeX set them).
HYPHENATING = str.split(
    "the service was informed of convictions and the assessment was thorough;"
    " in- formed convic- tions assess- ment thor- ough"
)
# One whose producer does not: its only attested break is a compound.
NOT_HYPHENATING = str.split("a long-term plan and a long- term view")


@pytest.mark.parametrize(
    ("head", "tail", "joined"),
    [
        ("under-", "take", "undertake"),  # two words that joined make a word
        ("case-", "work", "casework"),
        ("await-", "ing", "awaiting"),  # the piece after the break is no word
        ("of-", "fence", "offence"),  # a British spelling
        ("self-", "identified", "self-identified"),  # two words that joined make none: a compound
        ("co-", "location", "co-location"),
        ("18–25-year-", "old", "18–25-year-old"),  # the last piece of the head is the word broken
        ("pre-", "and", "pre-and"),  # a suspended hyphen
    ],
)
def test_a_hyphenating_document_rejoins_by_the_word_list(head: str, tail: str, joined: str) -> None:
    assert Vocabulary(HYPHENATING).hyphenates
    assert Vocabulary(HYPHENATING).join_lines(f"was {head}", f"{tail} here") == f"was {joined} here"


def test_the_document_overrides_the_word_list() -> None:
    # "case-work" written with its hyphen elsewhere in the document keeps it at a line end too.
    vocabulary = Vocabulary([*HYPHENATING, "case-work"])
    assert vocabulary.join_lines("the case-", "work") == "the case-work"
    # A word shown only with an ending ("reoffending") counts as the document's word.
    assert Vocabulary(["reoffending", "rates"]).is_word("reoffend")


def test_a_document_that_does_not_hyphenate_keeps_unattested_hyphens() -> None:
    vocabulary = Vocabulary(NOT_HYPHENATING)
    assert not vocabulary.hyphenates
    assert vocabulary.join_lines("was under-", "take") == "was under-take"
    assert vocabulary.join_lines("a long-", "term view") == "a long-term view"


@pytest.mark.parametrize(
    ("word", "known"),
    [
        ("offence", True),
        ("organisational", True),
        ("behaviour", True),
        ("programmes", True),
        ("centre", True),
        ("analysed", True),
        ("counselling", True),
        ("colocation", False),
        ("selfidentified", False),
        ("18", False),
    ],
)
def test_british_spellings_are_english_words(word: str, known: bool) -> None:
    assert is_english_word(word) is known


def test_a_table_cell_broken_at_a_compounds_hyphen_keeps_it() -> None:
    # Cell lines are joined with a space: "decision- making" is a compound broken at its hyphen, unless
    # the hyphen is suspended before a conjunction.
    vocabulary = Vocabulary(NOT_HYPHENATING)
    assert vocabulary.mend_cell("supporting the court's decision- making?") == "supporting the court's decision-making?"
    assert vocabulary.mend_cell("pre- and post-sentence work") == "pre- and post-sentence work"
    assert Vocabulary(HYPHENATING).mend_cell("was in- formed by") == "was informed by"
