"""Parsing listing and report pages; safe landing-folder names."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ingestion.fetch.listing import (
    iter_listing_pages,
    new_site_published,
    page_url,
    parse_date,
    parse_listing,
    parse_report_page,
)
from ingestion.fetch.manifest import Entry, Manifest
from ingestion.fetch.storage import file_name_for, short_hash

from .site import report_page, result_html

BASE = "https://www.justiceinspectorates.gov.uk/hmiprobation/inspections?probation-inspection-type=x&paged=0"


def test_page_url_sets_paged_and_keeps_other_parameters() -> None:
    url = page_url(BASE + "&year=2024", 3)
    assert url.endswith("probation-inspection-type=x&year=2024&paged=3")
    assert page_url("https://h/list", 0) == "https://h/list?paged=0"


def test_parse_listing_results_and_new_site_links() -> None:
    html = result_html([("/hmiprobation/inspections/dorsetpdu2024/", "Dorset <b>PDU</b>")]).replace(
        "</body>", '<p><a href="/document/an-inspection-of-probation-services-in-york-pdu-2025#top">York</a></p></body>'
    )
    entries = parse_listing(html, BASE)
    assert [(e.title, e.url, e.is_document) for e in entries] == [
        ("Dorset PDU", "https://www.justiceinspectorates.gov.uk/hmiprobation/inspections/dorsetpdu2024/", False),
        (
            "York",
            "https://www.justiceinspectorates.gov.uk/document/an-inspection-of-probation-services-in-york-pdu-2025",
            True,
        ),
    ]
    assert parse_listing(result_html([]), BASE) == []  # the empty page that ends pagination


def test_parse_report_page() -> None:
    html = report_page(
        "Dorset PDU",
        "12 July 2024",
        [("/a/annexe.pdf", "Data annexe"), ("/wp-content/uploads/sites/5/2024/07/Dorset.PDF?v=2", "Inspection report")],
    )
    page = parse_report_page(html, "https://www.justiceinspectorates.gov.uk/hmiprobation/inspections/dorsetpdu2024/")
    assert page.published == date(2024, 7, 12)
    assert page.file_url == "https://www.justiceinspectorates.gov.uk/wp-content/uploads/sites/5/2024/07/Dorset.PDF?v=2"
    assert page.file_link_text == "Inspection report"
    assert page.title == "Dorset PDU"


def test_report_page_without_pdf_or_date() -> None:
    page = parse_report_page("<html><h1>Nothing</h1></html>", "https://h/p/")
    assert page.file_url is None and page.published is None


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>Published: 3 March 2025</p>", date(2025, 3, 3)),
        ("<dl><dt>Published:</dt><dd>21st Jan 2025</dd></dl>", date(2025, 1, 21)),
        ("<p><strong>Published:</strong> 3 March 2025</p>", date(2025, 3, 3)),
        ("<p>Updated 3 March 2025</p>", None),
    ],
)
def test_new_site_published(html: str, expected: date | None) -> None:
    assert new_site_published(html) == expected


def test_parse_date_rejects_non_dates() -> None:
    assert parse_date("31 Smarch 2024") is None


def test_file_names_are_slugified_and_cannot_escape(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path)
    evil = "https://h/wp-content/uploads/sites/5/2024/07/..%2F..%2F..%2Fetc%2Fpasswd%00.pdf"
    assert file_name_for(evil, "pdf", manifest) == "etc-passwd.pdf"  # NUL dropped too
    assert file_name_for("https://h/wp-content/uploads/sites/5/2024/07/", "pdf", manifest) == "07.pdf"
    assert file_name_for("https://h/%2E%2E/.pdf", "pdf", manifest) == "report.pdf"
    assert file_name_for("https://h/document/an-inspection-of-x-pdu-2025", "html", manifest) == (
        "an-inspection-of-x-pdu-2025.html"
    )


def test_file_names_are_unique_per_url(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path)
    first = "https://h/uploads/2024/07/inspection-report.pdf"
    second = "https://h/uploads/2024/08/inspection-report.pdf"
    manifest.entries[first] = Entry(url=first, file="inspection-report.pdf")
    assert file_name_for(first, "pdf", manifest) == "inspection-report.pdf"  # stable once recorded
    assert file_name_for(second, "pdf", manifest) == f"inspection-report-{short_hash(second)}.pdf"
    (tmp_path / "local.pdf").write_bytes(b"someone else's file")  # not ours: never overwritten
    assert file_name_for("https://h/local.pdf", "pdf", manifest) == f"local-{short_hash('https://h/local.pdf')}.pdf"


def test_pagination_ends_when_a_site_ignores_paged() -> None:
    requested: list[str] = []

    def same_page_forever(url: str) -> str:
        requested.append(url)
        return result_html([("/hmiprobation/inspections/dorsetpdu2024/", "Dorset PDU")])

    pages = list(iter_listing_pages(same_page_forever, BASE, max_pages=50))
    assert len(pages) == 1 and len(requested) == 2


def test_pagination_respects_max_pages() -> None:
    def endless(url: str) -> str:
        return result_html([(f"/p/{url.rsplit('=', 1)[1]}/", "Some PDU")])

    assert len(list(iter_listing_pages(endless, BASE, max_pages=3))) == 3
