"""Broken or non-report files fail fast with a specific one-line reason."""

from __future__ import annotations

import time
from io import BytesIO

import pytest

from ingestion.errors import ExtractionError
from ingestion.extract.html import extract_html
from ingestion.extract.pdf import extract_pdf


def _reportlab_pdf(**canvas_args: object) -> bytes:
    from reportlab.pdfgen import canvas

    out = BytesIO()
    c = canvas.Canvas(out, **canvas_args)
    c.drawString(72, 720, "An inspection of probation services in: Somewhere PDU")
    c.showPage()
    c.save()
    return out.getvalue()


def _image_only_pdf() -> bytes:
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    # A tiny grey bitmap stands in for a scanned page: pixels, no text layer.
    png = bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010800000000"
        "3a7e9b550000000a49444154789c63680000008200816cb0fb390000000049454e44ae426082"
    )
    out = BytesIO()
    c = canvas.Canvas(out)
    c.drawImage(ImageReader(BytesIO(png)), 72, 72, width=400, height=600)
    c.showPage()
    c.save()
    return out.getvalue()


def _reason(call, data: bytes) -> str:
    start = time.monotonic()
    with pytest.raises(ExtractionError) as info:
        call(data)
    assert time.monotonic() - start < 5, "bad input must fail quickly"
    return info.value.reason


def test_encrypted_pdf() -> None:
    assert "encrypted" in _reason(extract_pdf, _reportlab_pdf(encrypt="secret"))


def test_corrupt_pdf_with_header() -> None:
    assert "corrupt" in _reason(extract_pdf, b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n")


def test_truncated_pdf() -> None:
    data = _reportlab_pdf()
    assert "truncated" in _reason(extract_pdf, data[: len(data) // 2])


def test_not_a_pdf() -> None:
    assert "no %PDF header" in _reason(extract_pdf, b"<html>this is not a pdf</html>")


def test_scanned_pdf_without_text_layer() -> None:
    assert "no text layer" in _reason(extract_pdf, _image_only_pdf())


def test_too_many_pages() -> None:
    assert "more than the 0" in _reason(lambda d: extract_pdf(d, max_pages=0), _reportlab_pdf())


def test_time_budget() -> None:
    assert "time budget" in _reason(lambda d: extract_pdf(d, time_budget=-1), _reportlab_pdf())


def test_html_404_page() -> None:
    page = b"""<html><head><title>Page not found - HM Inspectorate of Probation</title></head>
    <body><h1>Page not found</h1><p>Sorry, we could not find that page. Try the search.</p></body></html>"""
    assert "error or login page" in _reason(extract_html, page)


def test_html_login_page() -> None:
    page = b"""<html><head><title>Welcome</title></head><body><form><label>Email</label><input type="text">
    <label>Password</label><input type="password"><button>Go</button></form></body></html>"""
    assert "login page" in _reason(extract_html, page)


def test_empty_html() -> None:
    assert "almost no text" in _reason(extract_html, b"<html><head><title>Report</title></head><body></body></html>")


def test_html_chrome_only() -> None:
    page = b"<html><body><nav>Home About</nav><script>var x = 1;</script><footer>Cookies</footer></body></html>"
    assert "almost no text" in _reason(extract_html, page)
