"""Page numbers, repeated table headers and paragraph spacing, each learnt from the document itself."""

from __future__ import annotations

from ingestion.document import BlockKind
from ingestion.extract.pdf_geometry import Page, Word
from ingestion.extract.pdf_layout import pages_to_blocks
from tests.extract.test_pdf_layout import HEIGHT, LEFT, rows, words


def _page(lines: list[tuple[str, float, float]], height: float = 842.0) -> Page:
    return Page(595.0, height, tuple(w for text, x, top in lines for w in words(text, x, top)), ())


BODY = [f"Body line {i} of ordinary running text that fills the measure." for i in range(12)]


def test_a_score_at_the_top_of_a_page_is_no_page_number() -> None:
    # Pages are numbered at their foot ("1", "2", ...); "3/27" at the top of a page, where the ratings
    # table starts, reads like "page 3 of 27" but does not stand where page numbers do (on page 3 it
    # would even run with the page's index).
    pages = []
    for index in range(4):
        lines = [(text, LEFT, 100 + i * 14.0) for i, text in enumerate(BODY)]
        lines.append((str(index + 1), 290, 800))
        if index == 2:
            lines += [("Dorset PDU", LEFT, 30), ("3/27", 420, 42), ("started June 2023", LEFT, 54)]
        pages.append(_page(lines))
    texts = [b.text for b in pages_to_blocks(pages)] + [c for r in rows(pages_to_blocks(pages)) for c in r]
    assert any("3/27" in t for t in texts)
    assert not any(t.strip() in {"1", "2", "3", "4"} for t in texts)


def test_paragraphs_barely_apart_under_generous_leading_are_told_apart() -> None:
    # 6 points of white between the lines of a paragraph, 9 between paragraphs: under the default gap
    # (0.35 line heights over the usual), but a second white the document shows again and again.
    lines, top = [], 100.0
    for p in range(6):
        for i in range(3):
            lines.append((f"Paragraph {p} line {i} of running text goes on", LEFT, top))
            top += HEIGHT + 6.0
        top += 3.0
    blocks = pages_to_blocks([_page(lines)])
    assert [b.text.split()[1] for b in blocks if b.kind is BlockKind.PARAGRAPH] == [str(p) for p in range(6)]


def test_a_header_of_two_lines_repeated_over_a_row_split_by_a_page_break() -> None:
    header = [("Key question", LEFT, 0.0), ("Percentage", 420, -6.0), ("'Yes'", 420, 6.0)]

    def table(top: float, more: list[tuple[str, float, float]]) -> list[tuple[str, float, float]]:
        return [(t, x, top + dy) for t, x, dy in header] + [(t, x, top + dy) for t, x, dy in more]

    first = _page(
        [(text, LEFT, 100 + i * 14.0) for i, text in enumerate(BODY)]
        + table(740, [("Is the information provided to court sufficiently", LEFT, 26), ("57%", 420, 26)])
    )
    second = _page(
        table(60, [("analytical and personalised?", LEFT, 26)])
        + [(text, LEFT, 160 + i * 14.0) for i, text in enumerate(BODY)]
    )
    got = rows(pages_to_blocks([first, second]))
    assert ("Is the information provided to court sufficiently analytical and personalised?", "57%") in got


_ = Word  # the page helpers above build Words through tests.extract.test_pdf_layout.words
