"""Reading the website: listing pages, old-site report pages and new-site report documents (BeautifulSoup + lxml)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup, Tag

# The old site's listing of probation (adult) inspections; the PDU rule in rules.py filters what it lists.
# The type slug could not be checked from an offline machine: override with --listing-url if the site says otherwise.
DEFAULT_LISTING_URL = (
    "https://www.justiceinspectorates.gov.uk/hmiprobation/inspections"
    "?probation-inspection-type=inspection-of-probation-services-2018-onwards&paged=0"
)
DATE_RE = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\s+(\d{4})\b")
NEW_SITE_PATH = "/document/"


@dataclass(frozen=True)
class ListingEntry:
    title: str
    url: str  # report page (old site) or the report document itself (new site)
    listing_page: str

    @property
    def is_document(self) -> bool:
        """New-site entries link the HTML report itself: it is the report file."""
        return urlsplit(self.url).path.startswith(NEW_SITE_PATH)


@dataclass(frozen=True)
class ReportPage:
    url: str
    title: str
    published: date | None
    file_url: str | None
    file_link_text: str


def _soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "lxml")


def _text(tag: Tag | None) -> str:
    return " ".join(tag.get_text(" ").split()) if tag else ""


def page_url(listing_url: str, page: int) -> str:
    """The listing URL with `paged=<page>` (pages count from 0); other query parameters (type, year) kept."""
    parts = urlsplit(listing_url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "paged"]
    query.append(("paged", str(page)))
    return urlunsplit(parts._replace(query=urlencode(query)))


def parse_listing(html: str, base_url: str) -> list[ListingEntry]:
    """Results of one listing page: `div.result.inspection h4 > a`, plus new-site /document/ links anywhere."""
    soup = _soup(html)
    anchors = soup.select("div.result.inspection h4 > a[href]")
    anchors += [
        a for a in soup.select("a[href]") if urlsplit(urljoin(base_url, a["href"])).path.startswith(NEW_SITE_PATH)
    ]
    entries: dict[str, ListingEntry] = {}
    for a in anchors:
        url = urljoin(base_url, str(a["href"])).split("#")[0]
        entries.setdefault(url, ListingEntry(title=_text(a), url=url, listing_page=base_url))
    return list(entries.values())


def parse_date(text: str) -> date | None:
    """First "12 July 2024"-style date in `text`."""
    for day, month, year in DATE_RE.findall(text):
        for fmt in ("%d %B %Y", "%d %b %Y"):
            try:
                return datetime.strptime(f"{day} {month} {year}", fmt).date()
            except ValueError:
                continue
    return None


def _old_site_published(soup: BeautifulSoup) -> date | None:
    meta = soup.select_one("div#inspection-meta")
    if meta is None:
        return None
    for dt in meta.find_all("dt"):
        if "date of publication" in _text(dt).lower():
            return parse_date(_text(dt.find_next_sibling("dd")))
    return None


def new_site_published(html: str) -> date | None:
    """The date after a "Published:" label: in the same text, or in the next few text nodes (<b>Published:</b> date)."""
    soup = _soup(html)
    for label in soup.find_all(string=re.compile(r"\bPublished\b", re.IGNORECASE)):
        following = " ".join(str(s) for s in label.find_all_next(string=True, limit=3))
        found = parse_date(f"{label} {following}")
        if found:
            return found
    return None


def _is_pdf_link(href: str) -> bool:
    return urlsplit(href).path.lower().endswith(".pdf")


def parse_report_page(html: str, url: str) -> ReportPage:
    """An old-site report page: title, publication date and the report PDF link.

    The report PDF is the first .pdf link whose text mentions the inspection; failing that, the first .pdf link.
    """
    soup = _soup(html)
    title = _text(soup.select_one("h1")) or _text(soup.title)
    pdf_links = [a for a in soup.select("a[href]") if _is_pdf_link(str(a["href"]))]
    chosen = next((a for a in pdf_links if "inspection" in _text(a).lower()), pdf_links[0] if pdf_links else None)
    return ReportPage(
        url=url,
        title=title,
        published=_old_site_published(soup),
        file_url=urljoin(url, str(chosen["href"])) if chosen else None,
        file_link_text=_text(chosen),
    )


def iter_listing_pages(fetch_page, listing_url: str, max_pages: int) -> Iterator[tuple[str, list[ListingEntry]]]:
    """Walk pages 0, 1, 2... until a page has no results, or nothing new (a site ignoring `paged`), or max_pages.

    `fetch_page(url) -> str` is the HTTP call (so the sensor can reuse this for the first page only).
    """
    seen: set[str] = set()
    for number in range(max_pages):
        url = page_url(listing_url, number)
        entries = parse_listing(fetch_page(url), url)
        fresh = [e for e in entries if e.url not in seen]
        if not fresh:
            return
        seen.update(e.url for e in fresh)
        yield url, fresh
