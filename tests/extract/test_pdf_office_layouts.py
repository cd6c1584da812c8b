"""Rules met in word-processor PDFs (justified and hyphenated text, two-column sections); the producer
matrix (libreoffice-docx-hyphenated, libreoffice-docx-two-column) covers them on real PDFs."""

from __future__ import annotations

from io import BytesIO

from reportlab.pdfgen import canvas

from ingestion.extract.pdf_backends import Budget, pdfium_pages


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
    # the right margin; a word space would be 2.8 pt at least. PDFium reads the gap as a space.
    end = 20 + canvas.Canvas(BytesIO()).stringWidth("there was an ur", "Helvetica", 10)
    data = _pdf([("there was an ur", 20, 150), ("-", end + 1.6, 150), ("gent need", 20, 138)])
    words = [word.text for word in pdfium_pages(data, Budget(10, 10))[0].words]
    assert words == ["there", "was", "an", "ur-", "gent", "need"]


def test_a_dash_a_word_space_away_at_a_line_end_stays_a_word() -> None:
    end = 20 + canvas.Canvas(BytesIO()).stringWidth("there was an ur", "Helvetica", 10)
    data = _pdf([("there was an ur", 20, 150), ("-", end + 3.0, 150), ("gent need", 20, 138)])
    words = [word.text for word in pdfium_pages(data, Budget(10, 10))[0].words]
    assert "ur-" not in words
