"""Layout rules of the PDF extractor on hand-placed words: each rule alone, without a PDF producer.

Pages are A4 in points, body text 10 pt on a 14 pt pitch (4 pt of white between lines), as LibreOffice
and Word lay out; the producer matrix (test_producer_matrix.py) covers the same rules on real PDFs.
"""

from __future__ import annotations

from ingestion.document import BlockKind
from ingestion.extract.pdf_geometry import Page, Rule, Word
from ingestion.extract.pdf_layout import pages_to_blocks

PITCH, HEIGHT, LEFT = 14.0, 10.0, 60.0
# A page of ordinary paragraph lines, so that the body's spacing can be learnt.
BODY = [f"Body line {i} of ordinary running text that fills the measure." for i in range(8)]


def words(text: str, x: float, top: float) -> list[Word]:
    out = []
    for token in text.split():
        width = 5.0 * len(token)
        out.append(Word(token, x, x + width, top, top + HEIGHT, 10.0))
        x += width + 3.0  # a word space
    return out


def page(lines: list[tuple[str, float, float]], marks: tuple[Rule, ...] = (), body_top: float = 90) -> Page:
    body = [w for i, text in enumerate(BODY) for w in words(text, LEFT, body_top + i * PITCH)]
    placed = [w for text, x, top in lines for w in words(text, x, top)]
    return Page(595.0, 842.0, tuple(body + placed), (), marks)


def rows(blocks) -> list[tuple[str, ...]]:  # noqa: ANN001
    return [tuple(c for c in b.cells if c) for b in blocks if b.kind is BlockKind.TABLE_ROW]


def test_vertically_centred_cell_beside_a_wrapped_one_is_one_row() -> None:
    # "Requires / improvement" wraps; its neighbours are one line, centred between its two lines.
    blocks = pages_to_blocks(
        [
            page(
                [
                    ("1.1", LEFT, 300),
                    ("Leadership", 200, 300),
                    ("Inadequate", 420, 300),
                    ("Requires", 420, 324),
                    ("1.2", LEFT, 331),
                    ("Staff", 200, 331),
                    ("improvement", 420, 338),
                    ("1.3", LEFT, 362),
                    ("Services", 200, 362),
                    ("Good", 420, 362),
                ]
            )
        ]
    )
    assert rows(blocks) == [
        ("1.1", "Leadership", "Inadequate"),
        ("1.2", "Staff", "Requires improvement"),
        ("1.3", "Services", "Good"),
    ]


def test_first_line_of_a_tall_cell_before_its_row_stays_in_the_row() -> None:
    # A three-line question, its percentage centred on the middle line.
    blocks = pages_to_blocks(
        [
            page(
                [
                    ("Is the pre-sentence information", LEFT, 300),
                    ("sufficiently analytical and", LEFT, 314),
                    ("57%", 420, 314),
                    ("personalised?", LEFT, 328),
                ]
            )
        ]
    )
    assert rows(blocks) == [("Is the pre-sentence information sufficiently analytical and personalised?", "57%")]


def test_row_split_by_a_page_break_goes_on_under_the_repeated_header() -> None:
    header = [("Key question", LEFT, 700), ("Percentage 'Yes'", 420, 700)]
    first = page([*header, ("Is the information provided to court", LEFT, 730), ("48%", 420, 730)])
    second = page(
        [("Key question", LEFT, 90), ("Percentage 'Yes'", 420, 90), ("sufficiently analytical?", LEFT, 120)],
        body_top=200,
    )
    got = rows(pages_to_blocks([first, second]))
    assert got == [
        ("Key question", "Percentage 'Yes'"),
        ("Is the information provided to court sufficiently analytical?", "48%"),
    ]


def test_drawn_bullet_and_separate_number_markers_start_list_items() -> None:
    disc = Rule(LEFT + 20, 303.5, LEFT + 23, 306.5)  # a 3 pt disc left of the line, as Chromium draws it
    blocks = pages_to_blocks(
        [
            page(
                [
                    ("Strengths:", LEFT, 280),
                    ("Staff felt supported.", LEFT + 32, 300),
                    ("1.", LEFT, 340),
                    ("ensure the first thing", LEFT + 22, 340),
                    ("2.", LEFT, 354),
                    ("ensure the second", LEFT + 22, 354),
                    ("thing is done", LEFT + 22, 368),
                ],
                marks=(disc,),
            )
        ]
    )
    items = [b.text for b in blocks if b.kind is BlockKind.LIST_ITEM]
    assert items == ["Staff felt supported.", "1. ensure the first thing", "2. ensure the second thing is done"]


def test_a_heading_numbered_at_the_margin_is_not_a_list_item() -> None:
    blocks = pages_to_blocks([page([("2. Court work and case supervision", LEFT, 300)])])
    assert [b.kind for b in blocks if b.text.startswith("2. Court")] == [BlockKind.PARAGRAPH]


def test_row_split_by_a_page_break_whose_continuation_starts_with_a_capital() -> None:
    # The percentage fits on the first page, its (two-line) question only on the next.
    header = [("Key question", LEFT, 700), ("Percentage 'Yes'", 420, 700)]
    first = page([*header, ("48%", 420, 730)])
    second = page(
        [
            ("Key question", LEFT, 90),
            ("Percentage 'Yes'", 420, 90),
            ("Does assessment focus sufficiently", LEFT, 120),
            ("on keeping other people safe?", LEFT, 134),
        ],
        body_top=200,
    )
    assert rows(pages_to_blocks([first, second])) == [
        ("Key question", "Percentage 'Yes'"),
        ("Does assessment focus sufficiently on keeping other people safe?", "48%"),
    ]


def test_two_columns_are_read_one_after_the_other() -> None:
    left = [f"Left column line {i} runs on with words" for i in range(6)]
    right = [f"Right column line {i} runs on with words" for i in range(6)]
    placed = [(t, LEFT, 300 + i * PITCH) for i, t in enumerate(left)]
    placed += [(t, 320, 300 + i * PITCH) for i, t in enumerate(right)]
    texts = [b.text for b in pages_to_blocks([page(placed)])]
    joined = " ".join(texts)
    assert joined.index("Left column line 5") < joined.index("Right column line 0")
    assert not any("Left" in t and "Right" in t for t in texts if t.startswith(("Left", "Right")) and len(t) < 60)


def test_a_bold_heading_close_above_its_text_is_its_own_block() -> None:
    heading = [Word("Planning", LEFT, LEFT + 40, 300, 300 + HEIGHT, 10.0, bold=True)]
    text = words("Planning is well informed and personalised.", LEFT, 300 + PITCH)
    body = page([]).words
    blocks = pages_to_blocks([Page(595.0, 842.0, (*body, *heading, *text))])
    assert [b.text for b in blocks][-2:] == ["Planning", "Planning is well informed and personalised."]


def test_a_page_sized_background_is_not_a_rule() -> None:
    # A white page fill and a white cell box are painted but not seen; a grey rule is.
    from io import BytesIO

    from reportlab.pdfgen import canvas

    from ingestion.extract.pdf_backends import Budget, pdfium_pages

    out = BytesIO()
    pdf = canvas.Canvas(out, pagesize=(595, 842))
    pdf.setFillColorRGB(1, 1, 1)
    pdf.rect(0, 0, 595, 842, stroke=0, fill=1)
    pdf.rect(100, 500, 200, 40, stroke=0, fill=1)
    pdf.setFillColorRGB(0.4, 0.4, 0.4)
    pdf.rect(100, 400, 300, 0.8, stroke=0, fill=1)
    pdf.setFillColorRGB(0, 0, 0)
    pdf.drawString(100, 700, "Recommendations")
    pdf.save()
    (got,) = pdfium_pages(out.getvalue(), Budget(5, 10))
    assert [(round(r.x0), round(r.x1)) for r in got.rules] == [(100, 400)]
