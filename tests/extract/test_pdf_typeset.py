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
from tests.extract.test_pdf_layout import BODY, LEFT, PITCH, rows, words

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
