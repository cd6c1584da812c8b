"""PDFs printed to PDF again through a PostScript driver: the rules their rewritten content needs.

The re-distilled producers of the matrix (tests/extract/pdf_producers.py) cover these rules on whole
reports; here each rule alone, so that switching it off fails a test.
"""

from __future__ import annotations

import io

import pytest

from ingestion.errors import ExtractionError, ReportError
from ingestion.extract.pdf_backends import Budget, bold_against_body, pdfium_pages
from ingestion.extract.pdf_geometry import Page, Word
from ingestion.extract.pdf_glyphs import UNMAPPED, check_readable, glyph_by_shape
from ingestion.parse import parse_file
from tests.extract.pdf_matrix import report_names
from tests.extract.pdf_producers import FIXTURES, UNREADABLE


@pytest.mark.parametrize("producer", sorted(UNREADABLE))
def test_a_text_layer_without_unicode_is_refused_with_its_reason(producer: str) -> None:
    # The round trip left these fonts without glyph names or ToUnicode: no value may come out of them.
    for name in report_names():
        with pytest.raises(ReportError, match="text layer is not readable text.*without a Unicode mapping"):
            parse_file(FIXTURES / producer / f"{name}.pdf")


def test_mostly_unmapped_or_symbol_characters_are_refused() -> None:
    with pytest.raises(ExtractionError, match="900 of its 1000 characters"):
        check_readable(["Rating"] * 10 + [UNMAPPED * 10] * 90 + ["Good"] * 10)
    # Glyph names such as "a1" that the Adobe glyph list sends to dingbats are symbols, not text.
    with pytest.raises(ExtractionError):
        check_readable(["✁✂✄☎✆", "Score"])


def test_a_few_unmapped_glyphs_are_kept_with_a_warning() -> None:
    assert check_readable(["Probation", "Reset", UNMAPPED, "policy", "•", "–", "£5"]) == [
        ("text layer", "1 glyph(s) have no Unicode mapping in their font: read as U+FFFD")
    ]
    assert check_readable(["Inspection", "of", "probation", "services"]) == []


def test_an_unmapped_glyph_is_named_by_its_shape_only_when_certain() -> None:
    # Measured on DejaVu Sans at 10 pt (reportlab's fonts after a print-driver round trip).
    assert glyph_by_shape(2.9, 2.9, 3.7, 10.0) == "•"  # a round blob at mid x-height
    assert glyph_by_shape(4.0, 0.7, 2.7, 10.0) == "–"  # a bar half an em long
    assert glyph_by_shape(9.0, 0.7, 2.7, 10.0) == "—"
    assert glyph_by_shape(2.5, 0.6, 2.3, 10.0) == "-"
    assert glyph_by_shape(2.8, 4.1, 5.3, 10.0) == UNMAPPED  # a raised footnote digit: which one is unknown
    assert glyph_by_shape(1.0, 1.0, 0.5, 10.0) == UNMAPPED  # a full stop sits on the baseline
    assert glyph_by_shape(6.0, 0.7, -1.0, 10.0) == UNMAPPED  # an underscore sits below it


def _pdf_drawn_out_of_order() -> bytes:
    """One line as a print driver re-writes it: the right-aligned page number of a contents entry
    first, then a kern of 378 em back to the entry, in a single TJ."""
    content = b"BT /F1 10 Tf 446 700 Td [(3) 37856 (Foreword)] TJ ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def test_a_glyph_set_well_left_of_the_one_before_starts_a_word() -> None:
    (page,) = pdfium_pages(_pdf_drawn_out_of_order(), Budget(5, 30))
    assert sorted(w.text for w in page.words) == ["3", "Foreword"]


def _word(text: str, top: float) -> Word:
    return Word(text, 60.0, 60.0 + 5 * len(text), top, top + 10.0, 10.0)


def test_bold_is_read_against_the_body_weight_when_weights_are_estimated() -> None:
    # Stem-width estimates: the regular body reads 695, the bold heading 816.
    pages = [Page(595, 842, (_word("Heading", 80), _word("body text " * 5, 100), _word("more body", 120)))]
    (read,) = bold_against_body(pages, [816, 695, 695])
    assert [w.bold for w in read.words] == [True, False, False]


def test_bold_on_the_usual_scale_is_left_as_the_font_says() -> None:
    words = (Word("Heading", 60, 100, 80, 90, 10, bold=True), _word("body text " * 5, 100))
    pages = [Page(595, 842, words)]
    assert bold_against_body(pages, [700, 400]) == pages
