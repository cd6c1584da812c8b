"""Fixtures: a fake HMI Probation website on 127.0.0.1, and fetch options that never wait."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from ingestion.fetch import ClientConfig, FetchOptions

from .site import UPLOADS, Site, pdf_bytes

KB = 1024
MAX_BYTES = 100 * KB
PLYMOUTH = "/document/an-inspection-of-probation-services-in-plymouth-pdu-2025"
PLYMOUTH_HTML = (
    "<html><body><h1>An inspection of probation services in Plymouth PDU</h1>"
    "<p><strong>Published:</strong> 3 March 2025</p><h2>Foreword (Back to top)</h2><p>Text.</p></body></html>"
)


def fast_options(site: Site, dest: Path, **client) -> FetchOptions:
    """Options for a run against `site` with no waiting; `client` overrides ClientConfig fields."""
    config = ClientConfig(delay_seconds=0, backoff_seconds=0, timeout_seconds=5, retries=2, max_bytes=MAX_BYTES)
    return FetchOptions(dest=dest, listing_url=site.listing_url, max_pages=10, client=replace(config, **client))


@pytest.fixture
def site() -> Iterator[Site]:
    with Site() as running:
        yield running


@pytest.fixture
def clean_site(site: Site) -> Site:
    """Two PDU reports (old-site PDF, new-site HTML) and one youth justice report: everything fetchable."""
    dorset, _ = site.add_old_report(
        "dorsetpdu2024",
        "An inspection of probation services in: Dorset PDU",
        f"{UPLOADS}/07/Dorset-PDU-inspection-report.pdf",
        pdf_bytes("dorset"),
    )
    youth, _ = site.add_old_report(
        "doncaster2024",
        "An inspection of youth justice services in Doncaster",
        f"{UPLOADS}/07/inspection-report.pdf",
        pdf_bytes("doncaster youth"),
    )
    site.add_file(PLYMOUTH, PLYMOUTH_HTML.encode(), "text/html; charset=utf-8", etag=False)
    site.listing[0] = [
        (dorset, "An inspection of probation services in: Dorset PDU"),
        (youth, "An inspection of youth justice services in Doncaster"),
    ]
    site.listing[1] = [(PLYMOUTH, "An inspection of probation services in Plymouth PDU")]
    return site


@pytest.fixture
def full_site(clean_site: Site) -> Site:
    """The clean site plus every awkward case the fetcher must survive (see the test module for each one)."""
    s = clean_site

    def pdu(slug: str, name: str, pdf: str, body: bytes, page: int, **kw) -> None:
        title = f"An inspection of probation services in: {name} PDU"
        path, _ = s.add_old_report(slug, title, pdf, body, **kw)
        s.listing.setdefault(page, []).append((path, title))

    # Same PDF file name as the youth report, in another month folder: must get its own landing name.
    pdu("doncasterpdu2024", "Doncaster", f"{UPLOADS}/08/inspection-report.pdf", pdf_bytes("doncaster pdu"), 0)
    pdu("wiltshirepdu2024", "Wiltshire", f"{UPLOADS}/07/Wiltshire.pdf", pdf_bytes("wilts"), 0, failures=["503"])
    pdu("somersetpdu2024", "Somerset", f"{UPLOADS}/07/Somerset.pdf", pdf_bytes("somerset"), 0, failures=["drop"])
    pdu("gloucestershirepdu2024", "Gloucestershire", f"{UPLOADS}/07/Glos.pdf", pdf_bytes("glos v1"), 1)
    pdu("torbaypdu2024", "Torbay", f"{UPLOADS}/07/..%2F..%2F..%2Fescape.pdf", pdf_bytes("torbay"), 1)
    pdu("cornwallpdu2024", "Cornwall", f"{UPLOADS}/07/Cornwall.pdf", pdf_bytes("big", 2 * MAX_BYTES), 1)
    pdu("devonpdu2024", "Devon", f"{UPLOADS}/07/Devon.pdf", pdf_bytes("big", 2 * MAX_BYTES), 1, send_length=False)
    pdu("bristolpdu2024", "Bristol", f"{UPLOADS}/07/Bristol.pdf", b"<html>login</html>", 1, content_type="text/html")
    pdu("swindonpdu2024", "Swindon", f"{UPLOADS}/07/Swindon.pdf", b"", 1)
    del s.routes[f"{UPLOADS}/07/Swindon.pdf"]  # the page links a PDF that is gone: 404
    # A PDU page whose PDF sits on another host (localhost is loopback too, so a leak would show in the log).
    bath_pdf = f"http://localhost:{s.server.server_address[1]}{UPLOADS}/07/Bath.pdf"
    pdu("bathpdu2024", "Bath", bath_pdf, pdf_bytes("bath"), 1)
    s.routes[f"{UPLOADS}/07/Bath.pdf"] = s.routes.pop(bath_pdf)
    # Listing says little; only the report page reveals a youth justice report.
    rotherham, _ = s.add_old_report(
        "rotherham2024",
        "An inspection of youth justice services in Rotherham",
        f"{UPLOADS}/07/Rotherham.pdf",
        pdf_bytes("rotherham"),
    )
    s.listing[0].append((rotherham, "Rotherham"))
    s.listing[1] += [
        ("/hmiprobation/inspections/women2024/", "A thematic inspection of work with women on probation"),
        ("/hmiprobation/inspections/southwest2024/", "An inspection of probation services in: the South West region"),
    ]
    return s


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Never route test requests through a proxy from the environment: loopback means loopback."""
    monkeypatch.setenv("NO_PROXY", "*")
    monkeypatch.setenv("no_proxy", "*")
