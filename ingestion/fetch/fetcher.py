"""Fetch orchestration: discover PDU reports on the listing, download new or changed files, keep the manifest."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path

from . import rules
from .client import ClientConfig, FetchError, PoliteClient, host_of
from .listing import DEFAULT_LISTING_URL, ListingEntry, iter_listing_pages, new_site_published, parse_report_page
from .manifest import Entry, Manifest
from .storage import file_name_for, install, keep_previous

log = logging.getLogger(__name__)

STATUSES = ("new", "changed", "unchanged", "skipped", "failed")


@dataclass(frozen=True)
class FetchOptions:
    dest: Path
    listing_url: str = DEFAULT_LISTING_URL
    max_pages: int = 200
    client: ClientConfig = field(default_factory=ClientConfig)


@dataclass(frozen=True)
class ReportResult:
    status: str  # one of STATUSES
    url: str  # report file URL, or the listed URL when the file URL is unknown
    title: str
    file: str | None = None
    reason: str = ""
    present: bool = False  # the report's file is in the landing folder after this run


@dataclass
class FetchSummary:
    results: list[ReportResult] = field(default_factory=list)
    listing_errors: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.results)

    @property
    def counts(self) -> dict[str, int]:
        return {status: self.count(status) for status in STATUSES}

    @property
    def complete(self) -> bool:
        """Every listed PDU report is present (and the whole listing could be read)."""
        pdu = [r for r in self.results if r.status != "skipped"]
        return not self.listing_errors and all(r.present for r in pdu)

    def line(self) -> str:
        counts = ", ".join(f"{n} {status}" for status, n in self.counts.items())
        errors = f"; listing errors: {len(self.listing_errors)}" if self.listing_errors else ""
        return f"fetch: {counts}{errors}"


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class _Target:
    """A PDU report file to download, and what we know about it before downloading."""

    file_url: str
    page_url: str
    title: str
    kind: str  # pdf | html
    published: date | None


def client_for(listing_url: str, config: ClientConfig) -> PoliteClient:
    """A client for this listing. Its own host is trusted: whoever chose the listing URL chose that site."""
    hosts = (*config.allowed_hosts, host_of(listing_url))
    return PoliteClient(replace(config, allowed_hosts=tuple(dict.fromkeys(hosts))))


class Fetcher:
    def __init__(self, options: FetchOptions, out: Callable[[str], None] = print, client: PoliteClient | None = None):
        self.options = options
        self.dest = options.dest
        self.client = client or client_for(options.listing_url, options.client)
        self.out = out
        self.manifest = Manifest.load(self.dest)
        self.done: set[str] = set()

    def run(self) -> FetchSummary:
        summary = FetchSummary()
        self.dest.mkdir(parents=True, exist_ok=True)
        pages = iter_listing_pages(
            lambda url: self.client.get_page(url).text, self.options.listing_url, self.options.max_pages
        )
        try:
            for _, entries in pages:
                for entry in entries:
                    result = self._safely(entry)
                    self._remember(entry, result)
                    if result is not None:
                        summary.results.append(result)
                        self._report(result)
        except FetchError as exc:
            summary.listing_errors.append(exc.reason)
            self.out(f"  listing    could not read a listing page: {exc.reason}")
        self.out(summary.line())
        return summary

    def _remember(self, entry: ListingEntry, result: ReportResult | None) -> None:
        self.manifest.listed[entry.url] = {
            "title": entry.title,
            "status": result.status if result else "duplicate",
            "reason": result.reason if result else "",
            "file_url": result.url if result else None,
            "seen_at": _now(),
        }
        self.manifest.save()

    def _report(self, result: ReportResult) -> None:
        where = result.file or result.url
        reason = f"  ({result.reason})" if result.reason else ""
        self.out(f"  {result.status:<10} {where}{reason}")
        if result.status == "skipped":
            log.info("skipped %s: %s", result.url, result.reason)
        elif result.status == "failed":
            log.warning("failed %s: %s", result.url, result.reason)

    def _safely(self, entry: ListingEntry) -> ReportResult | None:
        """One listed report; any error is recorded against it and the run goes on."""
        try:
            return self._process(entry)
        except FetchError as exc:
            return self._failed(entry.url, entry.title, exc.reason)
        except Exception as exc:  # a bug or a disk problem must not stop the other reports
            log.exception("unexpected error on %s", entry.url)
            return self._failed(entry.url, entry.title, f"unexpected error: {type(exc).__name__}: {exc}")

    def _process(self, entry: ListingEntry) -> ReportResult | None:
        early = rules.is_other_kind(entry.title, entry.url)
        if early:
            return ReportResult("skipped", entry.url, entry.title, reason=early.reason)
        target = self._target(entry)
        if isinstance(target, ReportResult):
            return target
        if target.file_url in self.done:  # listed twice: one report, one result
            return None
        self.done.add(target.file_url)
        return self._download(target)

    def _target(self, entry: ListingEntry) -> _Target | ReportResult:
        if entry.is_document:
            decision = rules.classify(entry.title, entry.url)
            if not decision.take:
                return ReportResult("skipped", entry.url, entry.title, reason=decision.reason)
            return _Target(entry.url, entry.url, entry.title, "html", None)
        page = parse_report_page(self.client.get_page(entry.url).text, entry.url)
        decision = rules.classify(entry.title, page.title, page.file_link_text, entry.url, page.file_url)
        if not decision.take:
            return ReportResult("skipped", entry.url, entry.title, reason=decision.reason)
        if not page.file_url:
            raise FetchError("no report PDF link on the report page")
        return _Target(page.file_url, entry.url, entry.title or page.title, "pdf", page.published)

    def _failed(self, listed_url: str, title: str, reason: str) -> ReportResult:
        """Record a failure against the manifest entry (found by file or page URL), keeping what was there."""
        entry = self.manifest.entries.get(listed_url) or next(
            (e for e in self.manifest.entries.values() if e.page_url == listed_url), None
        )
        if entry is not None:
            entry.status, entry.reason, entry.checked_at = "failed", reason, _now()
            self.manifest.save()
        present = entry is not None and self.manifest.has_file(entry.url)
        file = entry.file if entry else None
        return ReportResult("failed", entry.url if entry else listed_url, title, file, reason, present)

    def _download(self, target: _Target) -> ReportResult:
        manifest = self.manifest
        entry = manifest.entries.get(target.file_url) or Entry(url=target.file_url)
        manifest.entries[target.file_url] = entry
        entry.page_url, entry.title = target.page_url, target.title
        if target.published:
            entry.published = target.published.isoformat()
        name = file_name_for(target.file_url, target.kind, manifest)
        present = (self.dest / name).is_file() and entry.sha256 is not None
        # Validators are only worth sending when the file they describe is still on disk.
        etag, modified = (entry.etag, entry.last_modified) if present else (None, None)
        try:
            got = self.client.download(target.file_url, self.dest, target.kind, etag, modified)
        except FetchError as exc:
            entry.file = entry.file if present else None
            return self._failed(target.file_url, target.title, exc.reason)
        entry.checked_at = _now()
        status = "unchanged"
        if got.path is not None and present and got.sha256 == entry.sha256:
            got.path.unlink()  # re-sent but identical
        elif got.path is not None:
            status = "changed" if present else "new"
            if target.kind == "html" and not target.published:
                found = new_site_published(got.path.read_text(encoding="utf-8", errors="replace"))
                entry.published = found.isoformat() if found else entry.published
            try:
                kept = keep_previous(self.dest, name, entry.sha256) if present else None
                install(got.path, self.dest, name)
            finally:
                got.path.unlink(missing_ok=True)  # gone after a successful install; removed if anything failed
            entry.history = [*(entry.history or []), kept] if kept else entry.history
            entry.sha256, entry.size, entry.fetched_at = got.sha256, got.size, entry.checked_at
        if got.path is not None or got.etag or got.last_modified:
            entry.etag, entry.last_modified = got.etag, got.last_modified
        entry.file, entry.status, entry.reason = name, "ok", ""
        manifest.save()
        return ReportResult(status, target.file_url, target.title, name, present=True)


def unseen_on_first_page(listing_url: str, dest: Path, config: ClientConfig) -> list[str]:
    """URLs on the listing's first page that no fetch run has seen yet (one request: cheap enough for a sensor)."""
    client = client_for(listing_url, config)
    first = next(iter_listing_pages(lambda url: client.get_page(url).text, listing_url, 1), None)
    listed = Manifest.load(dest).listed
    entries = first[1] if first else []
    return sorted(e.url for e in entries if e.url not in listed and not rules.is_other_kind(e.title, e.url))


def fetch_reports(options: FetchOptions, out: Callable[[str], None] = print) -> FetchSummary:
    """Discover and download PDU reports into `options.dest`; see docs/fetching.md."""
    return Fetcher(options, out).run()
