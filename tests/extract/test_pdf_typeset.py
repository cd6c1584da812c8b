"""Layout rules for typeset PDFs (TeX and the like) on hand-placed words: each rule alone.

First-line paragraph indents without space between paragraphs, sentence spaces widened by
justification, tables ruled only above, under the header and below (booktabs), a justified cell's
hyphenated last word stretched apart, footnotes at the page foot, compounds broken in a cell. The
producer matrix (test_producer_matrix.py, producers latex and latex-two-column) covers them on real PDFs.
"""

from __future__ import annotations

from ingestion.document import BlockKind
from ingestion.extract.pdf_geometry import Page, Rule, Word
from ingestion.extract.pdf_hyphens import Vocabulary
from ingestion.extract.pdf_layout import pages_to_blocks
from tests.extract.test_pdf_layout import BODY, HEIGHT, LEFT, PITCH, rows, words

RIGHT = 340.0  # where the BODY lines of test_pdf_layout end: the right margin


def spread(text: str, x0: float, x1: float, top: float, size: float = 10.0) -> list[Word]:
    """A justified line: its words spread evenly from x0 to x1."""
    tokens = text.split()
    widths = [0.5 * size * len(t) for t in tokens]
    space = (x1 - x0 - sum(widths)) / max(len(tokens) - 1, 1)
    out, x = [], x0
    for token, width in zip(tokens, widths, strict=True):
        out.append(Word(token, x, x + width, top, top + size, size))
        x += width + space
    return out


def body(top: float = 90) -> list[Word]:
    return [w for i, text in enumerate(BODY) for w in words(text, LEFT, top + i * PITCH)]


def texts(page_list: list[Page]) -> list[str]:
    return [b.text for b in pages_to_blocks(page_list) if b.kind is not BlockKind.TABLE_ROW]


def test_a_first_line_indent_starts_a_paragraph() -> None:
    # Three paragraphs set as TeX sets them: no space between, the first line of each indented 15 pt.
    placed: list[Word] = []
    top = 250.0
    for n in range(3):
        placed += spread(f"Paragraph {n} starts here with an indented first line of text", LEFT + 15, RIGHT, top)
        placed += spread("and goes on at the margin with its second line of running text", LEFT, RIGHT, top + PITCH)
        placed += words(f"and ends {n}.", LEFT, top + 2 * PITCH)
        top += 3 * PITCH
    blocks = texts([Page(595.0, 842.0, tuple(body() + placed), (), ())])
    starts = [t for t in blocks if t.startswith("Paragraph")]
    assert len(starts) == 3
    assert starts[0].endswith("and ends 0.")


def test_no_first_line_indent_is_assumed_where_the_document_shows_none() -> None:
    # One indented line alone (a quotation, a centred line) is no evidence of paragraph indents.
    placed = words("Body text ending a paragraph", LEFT, 250) + words("an indented line", LEFT + 15, 250 + PITCH)
    blocks = texts([Page(595.0, 842.0, tuple(body() + placed), (), ())])
    assert "Body text ending a paragraph an indented line" in blocks


def test_a_widened_space_after_a_full_stop_is_no_cell_break() -> None:
    # Word spaces of 4 pt; after "ended." TeX leaves 9 pt, over the 8 pt (0.8 em) of a cell break.
    line, x = [], LEFT
    for token in ["The", "first", "sentence", "has", "ended.", "Then", "the", "second", "one", "begins", "here"]:
        line.append(Word(token, x, x + 5 * len(token), 250, 260, 10.0))
        x += 5 * len(token) + (9.0 if token == "ended." else 4.0)
    blocks = pages_to_blocks([Page(595.0, 842.0, tuple(body() + line), (), ())])
    assert rows(blocks) == []
    assert any("has ended. Then the second" in b.text for b in blocks)


def _rule(top: float) -> Rule:
    return Rule(LEFT, top, 400.0, top + 0.4)


def test_booktabs_rows_between_two_rules_are_split_at_the_key_column() -> None:
    # Rules only above the table, under its header and below it: the body rows sit between two rules,
    # on the body's line grid; a row starts where a line fills the key column and another.
    placed = [
        ("Key question", LEFT, 300),
        ("Percentage", 300, 300),
        ("Does assessment focus on engagement?", LEFT, 316),
        ("59%", 300, 316),
        ("Does it focus on the factors linked", LEFT, 330),
        ("78%", 300, 330),
        ("to offending?", LEFT, 344),
        ("Does it keep other people safe?", LEFT, 358),
        ("37%", 300, 358),
    ]
    table = [w for text, x, top in placed for w in words(text, x, top)]
    rules = (_rule(296), _rule(313), _rule(372))
    blocks = pages_to_blocks([Page(595.0, 842.0, tuple(body() + table), rules, ())])
    assert rows(blocks) == [
        ("Key question", "Percentage"),
        ("Does assessment focus on engagement?", "59%"),
        ("Does it focus on the factors linked to offending?", "78%"),
        ("Does it keep other people safe?", "37%"),
    ]


def test_a_justified_cells_hyphenated_last_word_stays_in_its_cell() -> None:
    # A narrow justified cell stretches "Requires im-" across its width: "im-" is no column of its own.
    placed = [
        ("1.1", LEFT, 300),
        ("Leadership", 120, 300),
        ("Requires", 220, 300),
        ("im-", 275, 300),
        ("provement", 220, 314),
        ("1.2", LEFT, 328),
        ("Staff", 120, 328),
        ("Requires", 220, 328),
        ("im-", 275, 328),
        ("provement", 220, 342),
        ("1.3", LEFT, 356),
        ("Services", 120, 356),
        ("Good", 220, 356),
        ("Rated Requires improvement overall.", LEFT, 400),
    ]
    table = [w for text, x, top in placed for w in words(text, x, top)]
    blocks = pages_to_blocks([Page(595.0, 842.0, tuple(body() + table), (), ())])
    assert rows(blocks) == [
        ("1.1", "Leadership", "Requires improvement"),
        ("1.2", "Staff", "Requires improvement"),
        ("1.3", "Services", "Good"),
    ]


def test_footnotes_at_the_page_foot_wait_for_the_text_running_over_the_break() -> None:
    # Page 1 ends in a paragraph running on to page 2; its foot holds two notes in 8 pt under a short rule.
    first = body() + spread("This paragraph runs on over the page break and is continued in", LEFT, RIGHT, 700)
    notes = (
        spread("3The rating for the standard is driven by the", LEFT + 12, RIGHT, 716, 8.0)
        + spread("lowest score on each of the key questions.", LEFT, 250, 726, 8.0)
        + spread("4The rating for planning is driven likewise.", LEFT + 12, 280, 736, 8.0)
    )
    page_one = Page(595.0, 842.0, tuple(first + notes), (Rule(LEFT, 712, LEFT + 100, 712.4),), ())
    second = words("of 45 cases.", LEFT, 80) + words("A new paragraph.", LEFT, 80 + 2 * PITCH)
    for n in range(6):
        second += body(80 + 4 * PITCH + n * 8 * PITCH)
    blocks = texts([page_one, Page(595.0, 842.0, tuple(second), (), ())])
    at = next(i for i, t in enumerate(blocks) if "runs on over the page break" in t)
    assert blocks[at].endswith("is continued in of 45 cases.")
    notes_at = [i for i, t in enumerate(blocks) if "The rating" in t]
    assert [blocks[i][:14] for i in notes_at] == ["3 The rating f", "4 The rating f"]
    assert notes_at[0] == at + 1 and blocks[notes_at[1] + 1] == "A new paragraph."


def test_a_compound_broken_at_its_hyphen_in_a_cell_keeps_the_hyphen() -> None:
    # A hyphenating document ("convic-" / "tions" seen whole elsewhere) that never shows "decision-making"
    # whole: the pieces are two words, so the hyphen is the compound's, kept without the line's space.
    vocabulary = Vocabulary(
        ["convic-", "tions", "convictions", "infor-", "mation", "information", "the", "court's"] * 3
    )
    assert vocabulary.hyphenates
    assert vocabulary.mend_cell("the court's decision- making?") == "the court's decision-making?"
    assert vocabulary.mend_cell("pre- and post-sentence") == "pre- and post-sentence"


def _indented_paragraphs(top: float) -> list[Word]:
    """Three TeX paragraphs (first line indented 15 pt): the document shows its paragraph indent."""
    placed: list[Word] = []
    for n in range(3):
        placed += spread(f"Paragraph {n} starts here with an indented first line of text", LEFT + 15, RIGHT, top)
        placed += spread("and goes on at the margin with its second line of running text", LEFT, RIGHT, top + PITCH)
        placed += words(f"and ends {n}.", LEFT, top + 2 * PITCH)
        top += 3 * PITCH
    return placed


def test_a_paragraph_starting_with_a_number_at_the_indent_is_one_paragraph() -> None:
    # "13. consider ..." at the paragraph indent looks like an item; its next line goes back to the
    # margin, where an item's lines would hang at its text.
    placed = _indented_paragraphs(250)
    placed += spread("13. consider providing ongoing support to the PDU for a", LEFT + 15, RIGHT, 250 + 9 * PITCH)
    placed += words("year.", LEFT, 250 + 10 * PITCH)
    blocks = texts([Page(595.0, 842.0, tuple(body() + placed), (), ())])
    assert "13. consider providing ongoing support to the PDU for a year." in blocks


def test_a_justified_line_of_few_words_in_a_paragraph_is_no_table_row() -> None:
    # "visit      www.example.org/a-long-address" stretched over the measure under a full line.
    placed = spread("You may reuse this information under the terms of the licence, and to", LEFT, RIGHT, 250)
    placed += spread("visit www.nationalarchives.gov.uk/doc/open-", LEFT, RIGHT, 250 + PITCH)
    placed += words("government-licence for details.", LEFT, 250 + 2 * PITCH)
    blocks = pages_to_blocks([Page(595.0, 842.0, tuple(body() + placed), (), ())])
    assert rows(blocks) == []
    assert any(b.text.startswith("You may reuse") and b.text.endswith("for details.") for b in blocks)


def test_numbers_set_flush_right_continue_their_list_at_the_margin() -> None:
    # TeX sets list labels flush right: "9." is indented, "10." starts nearer the margin than "9." does.
    placed = [
        ("8.", LEFT + 7, 300),
        ("eighth recommendation", LEFT + 20, 300),
        ("9.", LEFT + 7, 314),
        ("ninth recommendation", LEFT + 20, 314),
        ("10.", LEFT + 2, 328),
        ("tenth recommendation", LEFT + 20, 328),
    ]
    table = [w for text, x, top in placed for w in words(text, x, top)]
    # "10." is 3 x 5 pt wide from LEFT + 2: its right edge is 2 pt right of "9."'s (LEFT + 17).
    blocks = pages_to_blocks([Page(595.0, 842.0, tuple(body() + table), (), ())])
    items = [b.text for b in blocks if b.kind is BlockKind.LIST_ITEM]
    assert items == ["8. eighth recommendation", "9. ninth recommendation", "10. tenth recommendation"]


def test_footnotes_wait_past_the_lists_under_their_passage() -> None:
    # A note at the foot of page 1; page 2 goes on with a list, then a second list after a gap
    # (strengths, then improvements): the note comes after both, before the next heading.
    first = body() + spread("A paragraph full to the margin that ends the page and runs on to", LEFT, RIGHT, 700)
    note = spread("3The rating is driven by the lowest score.", LEFT + 12, 260, 716, 8.0)
    page_one = Page(595.0, 842.0, tuple(first + note), (Rule(LEFT, 712, LEFT + 100, 712.4),), ())
    second = words("the next page.", LEFT, 80)
    second += words("\u2022 A strength.", LEFT, 80 + 2 * PITCH) + words(
        "\u2022 Another strength.", LEFT, 80 + 3 * PITCH
    )
    second += words("\u2022 An improvement.", LEFT, 80 + 5 * PITCH)
    second += words("Next heading", LEFT, 80 + 7 * PITCH)
    for n in range(6):
        second += body(80 + 9 * PITCH + n * 8 * PITCH)
    blocks = texts([page_one, Page(595.0, 842.0, tuple(second), (), ())])
    at = blocks.index("3 The rating is driven by the lowest score.")
    assert blocks[at - 1] == "An improvement." and blocks[at + 1].startswith("Next heading")


def test_a_raised_word_stays_in_its_own_columns_line() -> None:
    # Two columns whose lines sit 5.5 pt apart in height; a word with a raised footnote mark ("579,1")
    # is taller, its centre nearer the right column's line than its own line's.
    placed: list[Word] = []
    for i in range(8):
        top = 300 + i * 12
        placed += spread(f"left line {i} with some more words", LEFT, 200 if i == 3 else 270, top)
        placed += spread(f"right line {i} with some more words", 310, 520, top - 5.5)
    raised = Word("579,1", 205, 235, 300 + 3 * 12 - 2.5, 300 + 3 * 12 + HEIGHT, 10.0)
    blocks = pages_to_blocks([Page(595.0, 842.0, tuple(body(60) + placed + [raised]), (), ())])
    joined = " ".join(b.text for b in blocks)
    assert "left line 3 with some more words 579,1 left line 4" in joined
