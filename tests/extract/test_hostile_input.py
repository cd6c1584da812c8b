"""Hostile input (issue 12): huge or deeply nested files stay within the per-file limits, and a few
bytes that are not UTF-8 never garble the good text around them."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingestion.document import BlockKind
from ingestion.errors import ExtractionError, ReportError
from ingestion.extract import extract_document
from ingestion.extract.html import extract_html
from ingestion.extract.limits import MAX_FILE_MB_ENV, TIME_BUDGET_ENV, Deadline, file_limits
from ingestion.extract.text import extract_text
from ingestion.parse import parse_bytes, parse_file

REPORTS = Path(__file__).resolve().parents[2] / "data" / "reports"
LINE = b"The inspection found that the unit should improve its work.\n"


def _one_paragraph(size: int) -> bytes:
    return (LINE * (size // len(LINE) + 1))[:size]


def test_long_paragraph_is_one_block_read_within_a_tight_budget() -> None:
    # Before: every wrapped line rebuilt the paragraph, 4 MB took ~20-40 s. A 10 s budget leaves a wide margin.
    data = _one_paragraph(4_000_000)
    doc = extract_text(data, Deadline("text extraction", 10))
    assert len(doc.blocks) == 1 and doc.blocks[0].kind is BlockKind.PARAGRAPH
    assert len(doc.blocks[0].text) == len(data.decode().replace("\n", " ").strip())


def test_text_over_its_time_budget_fails_with_the_budget_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TIME_BUDGET_ENV, "0.000001")
    with pytest.raises(ExtractionError, match=r"text extraction exceeded its 1e-06s time budget per file"):
        extract_document(Path("big.txt"), _one_paragraph(2_000_000))


def test_over_size_file_is_refused_before_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(MAX_FILE_MB_ENV, "1")
    path = tmp_path / "big.md"
    path.write_bytes(_one_paragraph(1_500_000))
    with pytest.raises(
        ExtractionError, match=r"file is 1.5 MB, over the 1 MB limit per file \(PROBATION_MAX_FILE_MB\)"
    ):
        parse_file(path)


@pytest.mark.parametrize("suffix", [".txt", ".md", ".html", ".pdf"])
def test_size_limit_applies_to_every_format(suffix: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(MAX_FILE_MB_ENV, "0.5")
    with pytest.raises(ExtractionError, match="over the 0.5 MB limit"):
        extract_document(Path(f"x{suffix}"), b"%PDF-1.7 " + _one_paragraph(600_000))


def test_pdf_gets_the_configured_time_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.extract.test_bad_input import _reportlab_pdf

    monkeypatch.setenv(TIME_BUDGET_ENV, "0.000001")
    with pytest.raises(ExtractionError, match="time budget"):
        extract_document(Path("x.pdf"), _reportlab_pdf())


@pytest.mark.parametrize("value", ["zero", "0", "-3"])
def test_bad_limit_settings_are_named(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(MAX_FILE_MB_ENV, value)
    with pytest.raises(ValueError, match=MAX_FILE_MB_ENV):
        file_limits()


def _deep_html(depth: int, tag: str = "div") -> bytes:
    body = "<p>The inspection found that the unit should improve its work. </p>" * 10
    return f"<html><body>{f'<{tag}>' * depth}{body}{f'</{tag}>' * depth}</body></html>".encode()


def test_html_nested_10000_deep_is_walked_without_recursion() -> None:
    doc = extract_html(_deep_html(10_000))
    assert [b.text for b in doc.blocks] == ["The inspection found that the unit should improve its work."] * 10


def test_deeply_nested_lists_keep_their_items_in_order() -> None:
    depth = 3000
    html = "<html><body>" + "".join(f"<ul><li>item {i}" for i in range(depth)) + "</li></ul>" * depth
    doc = extract_html((html + "</body></html>").encode())
    assert [b.text for b in doc.blocks] == [f"item {i}" for i in range(depth)]
    assert all(b.kind is BlockKind.LIST_ITEM and b.gap_before for b in doc.blocks)


_TEXT = "The inspection found that the unit should improve its work. " * 5
_NESTED = {
    "table": lambda n: f"{'<table><tr><td>x' * n}{_TEXT}{'</td></tr></table>' * n}",
    "header": lambda n: f"{'<header>' * n}{_TEXT}{'</header>' * n}<p>{_TEXT}</p>",
    "span-in-p": lambda n: f"<p>{'<span>' * n}{_TEXT}{'</span>' * n}</p>",
    "section-article": lambda n: f"{'<section><article>' * n}{_TEXT}{'</article></section>' * n}",
}


@pytest.mark.parametrize("kind", sorted(_NESTED))
def test_any_deep_nesting_is_read_without_recursion(kind: str) -> None:
    doc = extract_html(f"<html><body>{_NESTED[kind](5000)}</body></html>".encode())
    assert _TEXT.strip() in doc.text()


def test_deep_html_over_its_time_budget_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TIME_BUDGET_ENV, "0.000001")
    with pytest.raises(ExtractionError, match="HTML extraction exceeded its"):
        extract_document(Path("deep.html"), _deep_html(10_000))


def test_deep_html_report_is_a_clear_reason_not_a_traceback() -> None:
    with pytest.raises(ReportError) as info:
        parse_bytes(Path("deep.html"), _deep_html(10_000, "span"))
    assert "RecursionError" not in info.value.reason


# --- decoding ----------------------------------------------------------------------------------


def _typographic_report() -> str:
    # The published reports use typographic apostrophes; the sample conversions have plain ones.
    text = (REPORTS / "dorset-2023-08.txt").read_text(encoding="utf-8").replace("'", "\u2019")
    return text.translate(str.maketrans("¹²³⁴⁵⁶⁷", "1234567"))  # not in Windows-1252: keep the file encodable


def _findings_text(report) -> str:
    return " ".join(f for s in report.standards for f in [*s.strengths, *s.improvements])


def test_one_invalid_byte_does_not_garble_the_report() -> None:
    text = _typographic_report()
    good = parse_bytes(Path("r.txt"), text.encode("utf-8"))
    # A Windows apostrophe (0x92) pasted into the UTF-8 file, once.
    at = text.index("\u2019")
    one_bad = text[:at].encode("utf-8") + b"\x92" + text[at + 1 :].encode("utf-8")
    report = parse_bytes(Path("r.txt"), one_bad)
    assert "\u2019" in _findings_text(good)
    assert _findings_text(report) == _findings_text(good)
    assert "â€" not in report.model_dump_json()
    assert ("encoding", "1 byte(s) are not valid UTF-8: read as Windows-1252 characters, the rest as UTF-8") in [
        (w.field, w.message) for w in report.warnings
    ]


def test_invalid_byte_that_is_no_character_is_replaced_not_spread() -> None:
    # 0x81 is not a character in Windows-1252 either: that one byte becomes U+FFFD, nothing else changes.
    text = _typographic_report()
    at = text.index("\u2019", text.index("Strengths:"))
    report = parse_bytes(Path("r.txt"), text[:at].encode() + b"\x81" + text[at + 1 :].encode())
    expected = parse_bytes(Path("r.txt"), (text[:at] + "\ufffd" + text[at + 1 :]).encode())
    assert _findings_text(report) == _findings_text(expected)
    assert _findings_text(report).count("\ufffd") == 1 and "\u2019" in _findings_text(report)


def test_a_genuinely_windows_1252_file_is_read_as_such() -> None:
    text = _typographic_report()
    good = parse_bytes(Path("r.txt"), text.encode("utf-8"))
    report = parse_bytes(Path("r.txt"), text.encode("cp1252"))
    assert _findings_text(report) == _findings_text(good)
    assert report.standards == good.standards and report.recommendations == good.recommendations
    assert [w.field for w in report.warnings if w.field == "encoding"] == ["encoding"]
    assert "read as Windows-1252 text" in next(w.message for w in report.warnings if w.field == "encoding")
