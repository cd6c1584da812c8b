"""Rules met in word-processor PDFs (justified and hyphenated text, two-column sections); the producer
matrix (libreoffice-docx-hyphenated, libreoffice-docx-two-column) covers them on real PDFs."""

from __future__ import annotations

from dataclasses import replace
from io import BytesIO

from reportlab.pdfgen import canvas

from ingestion.document import BlockKind
from ingestion.extract.pdf_backends import Budget, pdfium_pages
from ingestion.extract.pdf_geometry import Page, Rule
from ingestion.extract.pdf_hyphens import Vocabulary
from ingestion.extract.pdf_layout import pages_to_blocks
from tests.extract.test_pdf_layout import LEFT, PITCH, page, words


def _pdf(draw: list[tuple[str, float, float]]) -> bytes:
    out = BytesIO()
    page = canvas.Canvas(out, pagesize=(300, 200))
    page.setFont("Helvetica", 10)
    for text, x, y in draw:
        page.drawString(x, y, text)
    page.save()
    return out.getvalue()


def test_a_line_end_hyphen_set_flush_at_the_margin_stays_with_its_word() -> None:
    # A justified line: the broken word "ur" ends 1.6 pt (0.16 em) short of its hyphen, which sits on
    # the right margin; a word space would be 2.8 pt at least. Glyphs 0.15 em apart part words elsewhere.
    end = 20 + canvas.Canvas(BytesIO()).stringWidth("there was an ur", "Helvetica", 10)
    data = _pdf([("there was an ur", 20, 150), ("-", end + 1.6, 150), ("gent need", 20, 138)])
    got = [word.text for word in pdfium_pages(data, Budget(10, 10))[0].words]
    assert got == ["there", "was", "an", "ur-", "gent", "need"]


def test_a_dash_a_word_space_away_at_a_line_end_stays_a_word() -> None:
    end = 20 + canvas.Canvas(BytesIO()).stringWidth("there was an ur", "Helvetica", 10)
    data = _pdf([("there was an ur", 20, 150), ("-", end + 3.0, 150), ("gent need", 20, 138)])
    got = [word.text for word in pdfium_pages(data, Budget(10, 10))[0].words]
    assert "ur-" not in got


def test_a_paragraph_typed_with_its_number_at_the_margin_is_one_paragraph() -> None:
    # "11. consider ..." typed as a paragraph at the column's left edge after a numbered list (numbers
    # set flush right, "9." indented): its second line goes on under the number, where an item's lines
    # would hang at its text.
    placed = page(
        [
            ("9.", LEFT + 6, 300),
            ("prioritise the recruitment of a", LEFT + 22, 300),
            ("10.", LEFT, 300 + PITCH),
            ("ensure the recruitment of an", LEFT + 22, 300 + PITCH),
            ("additional programme facilitator.", LEFT + 22, 300 + 2 * PITCH),
            ("HM Prison and Probation Service should:", LEFT, 300 + 4 * PITCH),
            ("11. consider providing ongoing EPSIG place-", LEFT, 300 + 6 * PITCH),
            ("based support within the PDU.", LEFT, 300 + 7 * PITCH),
        ]
    )
    texts = [b.text for b in pages_to_blocks([placed])]
    assert "11. consider providing ongoing EPSIG place-based support within the PDU." in texts


def _box(x0: float, x1: float, top: float, bottom: float) -> tuple[Rule, ...]:
    """A cell's four borders."""
    return (
        Rule(x0, top, x1, top),
        Rule(x0, bottom, x1, bottom),
        Rule(x0, top, x0, bottom),
        Rule(x1, top, x1, bottom),
    )


def test_a_ruled_table_beside_another_in_the_next_column_keeps_its_own_cells() -> None:
    # Two ruled tables side by side on a two-column page, their rows at the same heights: the borders
    # of the right-hand table bound no cell of the left-hand one.
    rules: tuple[Rule, ...] = ()
    for top in (500.0, 514.0):
        rules += _box(LEFT - 3, 200, top, top + 14) + _box(200, 260, top, top + 14)
        rules += _box(300, 440, top, top + 14) + _box(440, 520, top, top + 14)
    text = [("Left column text line", LEFT, 300 + i * PITCH) for i in range(12)]
    text += [("Right column text line", 303, 300 + i * PITCH) for i in range(12)]
    lines = [
        *text,
        ("Key question", LEFT, 502),
        ("Percent", 203, 502),
        ("Key question", 303, 502),
        ("Percent", 443, 502),
        ("Does planning work?", LEFT, 516),
        ("51%", 203, 516),
        ("Does review work?", 303, 516),
        ("33%", 443, 516),
    ]
    blocks = pages_to_blocks([replace(page(lines), rules=rules)])
    got = [tuple(b.cells) for b in blocks if b.kind is BlockKind.TABLE_ROW]
    assert ("Does planning work?", "51%") in got
    assert ("Does review work?", "33%") in got  # not ("", "", "Does review work?", "33%")


def test_a_word_cut_at_a_narrow_cells_edge_without_a_hyphen_is_rejoined() -> None:
    vocabulary = Vocabulary(["Implementation", "Implementa", "tion", "and", "delivery"])
    assert vocabulary.mend_cell("Implementa tion and delivery") == "Implementation and delivery"
    # Pieces that are words themselves stay apart ("Percent" / "age"), as do words of a name.
    assert vocabulary.mend_cell("Percent age") == "Percent age"
    assert vocabulary.mend_cell("Dorset PDU") == "Dorset PDU"


def test_a_heading_at_the_foot_of_a_narrow_column_ends_before_the_next_column() -> None:
    # The heading stops less than the usual 6 em short of its column's edge, but "User", the first word
    # at the top of the next column, would have fit there: the heading is not run on into it.
    left = [f"Left column line {i} runs on with more words" for i in range(8)]
    placed = [w for i, text in enumerate(left) for w in words(text, LEFT, 300 + i * PITCH)]
    placed += words("Feedback from people on probation", LEFT, 300 + 9 * PITCH)
    right = ["User Voice, working with the", "Inspectorate, surveyed people."]
    placed += [w for i, text in enumerate(right) for w in words(text, 320, 300 + i * PITCH)]
    placed += [w for i in range(2, 10) for w in words(f"Right column line {i} runs on", 320, 300 + i * PITCH)]
    texts = [b.text for b in pages_to_blocks([Page(595.0, 842.0, (*page([]).words, *placed))])]
    assert "Feedback from people on probation" in texts
