"""The same report read from PDF (two producers) and HTML gives the blocks and the parse of its text version."""

from __future__ import annotations

import pytest

from ingestion.extract import extract_document
from tests.extract.builders import RUNNING_HEADER, comparable, published_label

IDENTITY_FIELDS = {"source_file", "source_format", "content_sha256"}


def test_blocks_match_text_version(rendered, seed_name: str, fmt: str) -> None:
    r = rendered[seed_name]
    doc = extract_document(r.files[fmt])
    got = comparable(doc.blocks)
    if fmt == "site.html":
        label = published_label(r.text_doc)
        assert ("paragraph", label) in got, "the Published: label must survive as a paragraph"
        got.remove(("paragraph", label))  # the site adds it; the text conversion has none
    assert got == comparable(r.text_doc.blocks)


def test_pdf_drops_running_header_and_page_numbers(rendered, seed_name: str) -> None:
    for fmt in ("reportlab.pdf", "fpdf2.pdf"):
        if fmt not in rendered[seed_name].files:
            continue
        texts = [b.text for b in extract_document(rendered[seed_name].files[fmt]).blocks]
        assert RUNNING_HEADER not in texts
        assert not any(t.isdigit() for t in texts)


def test_parse_matches_text_version(rendered, seed_name: str, fmt: str) -> None:
    parse = pytest.importorskip("ingestion.parse")
    r = rendered[seed_name]
    expected = parse.parse_file(r.seed).model_dump(exclude=IDENTITY_FIELDS)
    got = parse.parse_file(r.files[fmt]).model_dump(exclude=IDENTITY_FIELDS)
    assert got == expected


def test_pdfplumber_backend_agrees(rendered, seed_name: str) -> None:
    # The benchmark's second library must rebuild the same blocks, so the comparison is about speed.
    from ingestion.extract.pdf import extract_pdf
    from ingestion.extract.pdf_backends import pdfplumber_pages

    r = rendered[seed_name]
    doc = extract_pdf(r.files["reportlab.pdf"].read_bytes(), backend=pdfplumber_pages)
    assert comparable(doc.blocks) == comparable(r.text_doc.blocks)
