"""Layout rules for narrow columns (two-column pages, tables inside a column), on hand-placed words.

Each test places words where a typesetter justifying a narrow column puts them; the producer matrix
(groff-two-column) covers the same rules on real PDFs.
"""

from __future__ import annotations

from ingestion.document import BlockKind
from ingestion.extract.pdf_geometry import Page, Word
from ingestion.extract.pdf_layout import pages_to_blocks
from tests.extract.test_pdf_layout import HEIGHT, LEFT, PITCH, page, rows, words


def placed(*spec: tuple[str, float, float]) -> list[tuple[str, float, float]]:
    """One (word, x, top) per word: justified lines put words where a word space would not."""
    return list(spec)


def test_last_words_of_justified_lines_in_a_narrow_cell_start_no_column() -> None:
    # "and" and "the" end justified lines of two cells at the same x, set apart by stretched spaces;
    # other lines of that column run across that x ("Multidisciplinary"), so it is no column of the table.
    cells = placed(
        ("1.", LEFT, 300),
        ("Organisational", 110, 300),
        ("and", 192, 300),
        ("activity", 110, 314),
        ("1.1", LEFT, 328),
        ("Multidisciplinary", 110, 328),
        ("Requires", 230, 328),
        ("improvement", 230, 342),
        ("1.2", LEFT, 356),
        ("Interdisciplinarity", 110, 356),
        ("Good", 230, 356),
        ("and", 110, 370),
        ("the", 192, 370),
        ("rest", 110, 384),
    )
    assert rows(pages_to_blocks([page(cells)])) == [
        ("1.", "Organisational and activity"),
        ("1.1", "Multidisciplinary", "Requires improvement"),
        ("1.2", "Interdisciplinarity and the rest", "Good"),
    ]


def test_a_wrapped_header_cell_keeps_its_words_in_order() -> None:
    # A two-cell table of one row: the long cell wraps over three justified lines, a word of its second
    # line sits where no line has a cell, but the first line runs across it.
    cells = placed(
        ("Portsmouth", LEFT, 300),
        ("and", 118, 300),
        ("the", 140, 300),
        ("Isle", 162, 300),
        ("of", 188, 300),
        ("6/27", 260, 300),
        ("WightScoreFieldwork", LEFT, 314),
        ("started", 166, 314),
        ("May", LEFT, 328),
        ("2023Score", 82, 328),
    )
    got = rows(pages_to_blocks([page(cells)]))
    assert got == [("Portsmouth and the Isle of WightScoreFieldwork started May 2023Score", "6/27")]


def _column(texts: list[str], x: float, top: float) -> list[Word]:
    return [w for i, text in enumerate(texts) for w in words(text, x, top + i * PITCH)]


def test_a_numbered_heading_at_a_right_hand_column_edge_is_no_list_item() -> None:
    # The right-hand column starts far from the page's margin: a heading at its edge is not indented.
    left = [f"Left column line {i} runs on with more words" for i in range(8)]
    right = [f"Right column line {i} runs on with words" for i in range(5)]
    bullet = [Word("•", 320, 325, 300 + 5 * PITCH, 300 + 5 * PITCH + HEIGHT, 10.0)]
    item = words("An item of a bulleted list", 332, 300 + 5 * PITCH)
    heading = words("2. Court work and case supervision", 320, 300 + 7 * PITCH)
    body = page([]).words
    placed_words = (*body, *_column(left, LEFT, 300), *_column(right, 320, 300), *bullet, *item, *heading)
    blocks = pages_to_blocks([Page(595.0, 842.0, placed_words)])
    kinds = {b.text: b.kind for b in blocks}
    assert kinds["An item of a bulleted list"] is BlockKind.LIST_ITEM
    assert kinds["2. Court work and case supervision"] is BlockKind.PARAGRAPH


def test_a_list_item_going_on_over_a_column_and_page_break_is_measured_at_its_new_indent() -> None:
    # A bulleted item starts in the right-hand column of one page and goes on, in the left-hand column of
    # the next, at that column's indent: its lines there are not outdented from the item.
    left = [f"Left column line {i} runs on with more words" for i in range(8)]
    right = [f"Right column line {i} runs on with words" for i in range(6)]
    top = 842 - 72 - 8 * PITCH
    bullet = [Word("•", 320, 325, top + 6 * PITCH, top + 6 * PITCH + HEIGHT, 10.0)]
    item = [
        *words("An item of a bulleted list that", 332, top + 6 * PITCH),
        *words("goes on past the end of the", 332, top + 7 * PITCH),
    ]
    first = Page(595.0, 842.0, (*page([]).words, *_column(left, LEFT, top), *_column(right, 320, top), *bullet, *item))
    going_on = _column(["column into the next page and", "ends on its second line there."], LEFT + 12, 90)
    second = Page(595.0, 842.0, (*going_on, *page([], body_top=140).words))
    items = [b.text for b in pages_to_blocks([first, second]) if b.kind is BlockKind.LIST_ITEM]
    assert items == [
        "An item of a bulleted list that goes on past the end of the column into the next page and ends on its"
        " second line there."
    ]


def test_rows_barely_padded_and_centred_are_told_apart_by_the_tables_own_white() -> None:
    # 1.2 points of white between a cell's lines, 2.6 between rows (1 pt padding): both under the body's
    # white, so only the table's own two groups of white tell "Inadequate" from the next row's "Requires".
    cells = placed(
        ("1.1", LEFT, 300),
        ("Leadership", 200, 300),
        ("Inadequate", 420, 300),
        ("Requires", 420, 312.6),
        ("1.2", LEFT, 318.2),
        ("Staff", 200, 318.2),
        ("improvement", 420, 323.8),
        ("1.3", LEFT, 336.4),
        ("Services", 200, 336.4),
        ("Good", 420, 336.4),
    )
    assert rows(pages_to_blocks([page(cells)])) == [
        ("1.1", "Leadership", "Inadequate"),
        ("1.2", "Staff", "Requires improvement"),
        ("1.3", "Services", "Good"),
    ]


def _justified(tokens: list[str], top: float, right: float = 340.0) -> list[Word]:
    """One line of `tokens` set from LEFT to `right` (the body lines' measure) with its spaces stretched alike."""
    widths = [5.0 * len(t) for t in tokens]
    space = (right - LEFT - sum(widths)) / (len(tokens) - 1)
    out, x = [], LEFT
    for token, width in zip(tokens, widths, strict=True):
        out.append(Word(token, x, x + width, top, top + HEIGHT, 10.0))
        x += width + space
    return out


def test_words_far_apart_on_full_justified_lines_are_text_not_cells() -> None:
    lines = [
        ["Practitioners", "accurately", "identified", "related"],
        ["factors", "and", "strengths"],  # two stretched spaces alike
        ["and", "protective", "factors", "were"],
        ["identified", "offending-related"],  # one stretched space, going on the paragraph
        ["needs", "in", "most", "assessments", "seen"],
    ]
    placed_words = [w for i, tokens in enumerate(lines) for w in _justified(tokens, 300 + i * PITCH)]
    last = words("by the inspectors.", LEFT, 300 + len(lines) * PITCH)
    blocks = pages_to_blocks([Page(595.0, 842.0, (*page([]).words, *placed_words, *last))])
    assert not rows(blocks)
    assert blocks[-1].text.startswith("Practitioners accurately identified related factors and strengths and")
    assert blocks[-1].text.endswith("identified offending-related needs in most assessments seen by the inspectors.")


def test_a_row_entering_the_gutter_at_the_right_hand_columns_edge_still_parts() -> None:
    # The right-hand column's list items are indented (bullets drawn as shapes are no words): the white
    # band between the columns reaches into that column's edge, where a label starts beside the left
    # column's text. The label belongs to the right-hand column, read after the left one.
    left = [f"Left column line {i} runs on with more words" for i in range(8)]
    items = [f"Item text line {i} runs on with words" for i in range(8)]
    placed_words = [*_column(left, LEFT, 300), *_column(items[:4], 350, 300), *_column(items[4:], 350, 300 + 5 * PITCH)]
    label = words("Areas for improvement:", 320, 300 + 4 * PITCH)
    blocks = pages_to_blocks([Page(595.0, 842.0, (*page([]).words, *placed_words, *label))])
    text = " | ".join(b.text for b in blocks)
    assert text.index("Left column line 7") < text.index("Areas for improvement:") < text.index("Item text line 4")


def test_a_word_run_out_of_its_cell_up_to_the_next_column_is_parted_there() -> None:
    # TeX cannot hyphenate a cell's first word: "Implementation" runs out of its narrow column up to
    # the next one, a word space before "Inadequate", where the other rows' ratings start.
    cells = placed(
        ("2.2", LEFT, 300),
        ("Planning", 110, 300),
        ("Good", 183, 300),
        ("2.3", LEFT, 314),
        ("Assessment", 110, 314),
        ("Inadequate", 183, 314),
        ("2.4", LEFT, 328),
        ("Implementation", 110, 328),
        ("Inadequate", 183, 328),
        ("and", 110, 342),
        ("delivery", 130, 342),
    )
    assert rows(pages_to_blocks([page(cells)]))[-1] == ("2.4", "Implementation and delivery", "Inadequate")
