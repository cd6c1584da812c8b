"""The fetcher end to end against the fake site on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingestion.fetch import fetch_reports, fetcher
from ingestion.fetch.manifest import MANIFEST_NAME

from .conftest import PLYMOUTH, fast_options
from .site import UPLOADS, Site, pdf_bytes


def run(site: Site, dest: Path, **client):
    lines: list[str] = []
    summary = fetch_reports(fast_options(site, dest, **client), out=lines.append)
    return summary, lines


def by_status(summary) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for r in summary.results:
        out.setdefault(r.status, set()).add(r.file or r.url.rsplit("/", 2)[-2])
    return out


def landing_files(dest: Path) -> set[str]:
    return {p.name for p in dest.iterdir() if not p.name.startswith(".")}


def test_first_run_discovers_downloads_and_skips(full_site: Site, tmp_path: Path) -> None:
    summary, lines = run(full_site, tmp_path)

    assert summary.counts == {"new": 7, "changed": 0, "unchanged": 0, "skipped": 4, "failed": 5}
    assert landing_files(tmp_path) == {
        "dorset-pdu-inspection-report.pdf",
        "inspection-report.pdf",  # the PDU one: the youth report with the same file name was never downloaded
        "wiltshire.pdf",
        "somerset.pdf",
        "glos.pdf",
        "escape.pdf",
        "an-inspection-of-probation-services-in-plymouth-pdu-2025.html",
    }
    assert (tmp_path / "inspection-report.pdf").read_bytes() == pdf_bytes("doncaster pdu")
    skipped = {r.title: r.reason for r in summary.results if r.status == "skipped"}
    assert skipped == {
        "An inspection of youth justice services in Doncaster": "youth justice report",
        "Rotherham": "youth justice report",
        "A thematic inspection of work with women on probation": "thematic report",
        "An inspection of probation services in: the South West region": "regional report",
    }
    # one progress line per report plus the summary line
    assert len([line for line in lines if line.startswith("  ")]) == 16
    assert lines[-1] == "fetch: 7 new, 0 changed, 0 unchanged, 4 skipped, 5 failed"
    assert not summary.complete


def test_pagination_stops_at_the_first_empty_page(full_site: Site, tmp_path: Path) -> None:
    run(full_site, tmp_path)
    listing_pages = [h.path for h in full_site.hits if h.path.startswith("/hmiprobation/inspections?")]
    assert [p.rsplit("paged=", 1)[1] for p in listing_pages] == ["0", "1", "2"]
    assert all("year=2024" in p and "probation-inspection-type=probation" in p for p in listing_pages)


def test_youth_report_named_on_the_listing_is_never_requested(full_site: Site, tmp_path: Path) -> None:
    run(full_site, tmp_path)
    assert full_site.requests_to("/hmiprobation/inspections/doncaster2024/") == []
    assert full_site.requests_to(f"{UPLOADS}/07/inspection-report.pdf") == []
    # only the page reveals Rotherham as youth justice: page read, PDF not
    assert len(full_site.requests_to("/hmiprobation/inspections/rotherham2024/")) == 1
    assert full_site.requests_to(f"{UPLOADS}/07/Rotherham.pdf") == []


def test_report_pdf_is_the_link_mentioning_the_inspection(full_site: Site, tmp_path: Path) -> None:
    run(full_site, tmp_path)
    assert full_site.requests_to(f"{UPLOADS}/07/dorsetpdu2024-data-annexe.pdf") == []


def test_transient_errors_are_retried(full_site: Site, tmp_path: Path) -> None:
    summary, _ = run(full_site, tmp_path)
    assert [h.status for h in full_site.requests_to(f"{UPLOADS}/07/Wiltshire.pdf")] == [503, 200]
    assert [h.status for h in full_site.requests_to(f"{UPLOADS}/07/Somerset.pdf")] == [0, 200]
    assert {"wiltshire.pdf", "somerset.pdf"} <= by_status(summary)["new"]


def test_failures_are_recorded_with_reasons_and_404_is_not_retried(full_site: Site, tmp_path: Path) -> None:
    summary, _ = run(full_site, tmp_path)
    failed = {r.title.split(": ")[1]: r.reason for r in summary.results if r.status == "failed"}
    assert failed["Swindon PDU"] == "HTTP 404"
    assert "exceeds" in failed["Cornwall PDU"] and "Content-Length" in failed["Cornwall PDU"]
    assert "exceeds" in failed["Devon PDU"]
    assert "expected a PDF" in failed["Bristol PDU"]
    assert "not in the allowed hosts" in failed["Bath PDU"]
    assert len(full_site.requests_to(f"{UPLOADS}/07/Swindon.pdf")) == 1
    assert full_site.requests_to(f"{UPLOADS}/07/Bath.pdf") == []  # the foreign host was never contacted
    manifest = json.loads((tmp_path / MANIFEST_NAME).read_text())
    swindon = manifest["reports"][f"{full_site.base}{UPLOADS}/07/Swindon.pdf"]
    assert swindon["status"] == "failed" and swindon["reason"] == "HTTP 404" and swindon["file"] is None
    assert not list(tmp_path.glob(".partial-*"))  # rejected downloads leave nothing behind


def test_manifest_records_each_report(full_site: Site, tmp_path: Path) -> None:
    run(full_site, tmp_path)
    reports = json.loads((tmp_path / MANIFEST_NAME).read_text())["reports"]
    dorset = reports[f"{full_site.base}{UPLOADS}/07/Dorset-PDU-inspection-report.pdf"]
    assert dorset["page_url"] == f"{full_site.base}/hmiprobation/inspections/dorsetpdu2024/"
    assert dorset["published"] == "2024-07-12"
    assert dorset["file"] == "dorset-pdu-inspection-report.pdf" and dorset["status"] == "ok"
    assert dorset["etag"] and dorset["last_modified"] and dorset["fetched_at"]
    assert len(dorset["sha256"]) == 64
    plymouth = reports[f"{full_site.base}{PLYMOUTH}"]
    assert plymouth["published"] == "2025-03-03" and plymouth["etag"] is None and plymouth["last_modified"]


def test_second_run_downloads_nothing(full_site: Site, tmp_path: Path) -> None:
    run(full_site, tmp_path)
    before = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir() if p.is_file()}
    full_site.clear()

    summary, lines = run(full_site, tmp_path)

    # Only the reports still being rejected (size, content type) are sent again; nothing fetched before is.
    resent = {h.path.rsplit("/", 1)[1] for h in full_site.file_downloads()}
    assert resent == {"Cornwall.pdf", "Devon.pdf", "Bristol.pdf"}
    assert summary.counts == {"new": 0, "changed": 0, "unchanged": 7, "skipped": 4, "failed": 5}
    dorset = full_site.requests_to(f"{UPLOADS}/07/Dorset-PDU-inspection-report.pdf")
    assert [h.status for h in dorset] == [304] and dorset[0].headers.get("If-None-Match")
    plymouth = full_site.requests_to(PLYMOUTH)  # no ETag from this server: If-Modified-Since does the job
    assert [h.status for h in plymouth] == [304] and plymouth[0].headers.get("If-Modified-Since")
    after = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir() if p.is_file() and p.name != MANIFEST_NAME}
    assert after == {k: v for k, v in before.items() if k != MANIFEST_NAME}
    assert not (tmp_path / ".history").exists()


def test_same_content_without_validators_is_unchanged(clean_site: Site, tmp_path: Path) -> None:
    resource = clean_site.routes[f"{UPLOADS}/07/Dorset-PDU-inspection-report.pdf"]
    resource.etag = resource.last_modified = False
    run(clean_site, tmp_path)
    summary, _ = run(clean_site, tmp_path)
    assert summary.count("unchanged") == 2 and summary.count("changed") == 0
    assert not (tmp_path / ".history").exists()


def test_changed_report_is_downloaded_and_old_version_kept(full_site: Site, tmp_path: Path) -> None:
    run(full_site, tmp_path)
    full_site.routes[f"{UPLOADS}/07/Glos.pdf"].body = pdf_bytes("glos v2, corrected")

    summary, _ = run(full_site, tmp_path)

    assert by_status(summary)["changed"] == {"glos.pdf"}
    assert (tmp_path / "glos.pdf").read_bytes() == pdf_bytes("glos v2, corrected")
    kept = list((tmp_path / ".history").iterdir())
    assert len(kept) == 1 and kept[0].name.startswith("glos.") and kept[0].suffix == ".pdf"
    assert kept[0].read_bytes() == pdf_bytes("glos v1")
    entry = json.loads((tmp_path / MANIFEST_NAME).read_text())["reports"][f"{full_site.base}{UPLOADS}/07/Glos.pdf"]
    assert entry["history"] == [f".history/{kept[0].name}"]


def test_failed_refresh_leaves_the_earlier_file_intact(clean_site: Site, tmp_path: Path) -> None:
    run(clean_site, tmp_path)
    good = (tmp_path / "dorset-pdu-inspection-report.pdf").read_bytes()
    resource = clean_site.routes[f"{UPLOADS}/07/Dorset-PDU-inspection-report.pdf"]
    resource.body = pdf_bytes("v2 but huge", 3 * 100 * 1024)
    resource.send_length = False  # rejected only while streaming, after part of it was written

    summary, _ = run(clean_site, tmp_path)

    assert summary.count("failed") == 1
    assert (tmp_path / "dorset-pdu-inspection-report.pdf").read_bytes() == good
    assert not list(tmp_path.glob(".partial-*")) and not (tmp_path / ".history").exists()
    assert summary.complete  # the report is still present, from the earlier run


def test_clean_site_is_complete(clean_site: Site, tmp_path: Path) -> None:
    summary, _ = run(clean_site, tmp_path)
    assert summary.complete and summary.counts["new"] == 2


def test_deleted_file_is_downloaded_again_unconditionally(clean_site: Site, tmp_path: Path) -> None:
    run(clean_site, tmp_path)
    (tmp_path / "dorset-pdu-inspection-report.pdf").unlink()
    clean_site.clear()
    summary, _ = run(clean_site, tmp_path)
    hits = clean_site.requests_to(f"{UPLOADS}/07/Dorset-PDU-inspection-report.pdf")
    assert [h.status for h in hits] == [200] and "If-None-Match" not in hits[0].headers
    assert by_status(summary)["new"] == {"dorset-pdu-inspection-report.pdf"}


def test_error_while_installing_keeps_old_file_and_manifest(
    clean_site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(clean_site, tmp_path)
    url = f"{clean_site.base}{UPLOADS}/07/Dorset-PDU-inspection-report.pdf"
    old_sha = json.loads((tmp_path / MANIFEST_NAME).read_text())["reports"][url]["sha256"]
    clean_site.routes[f"{UPLOADS}/07/Dorset-PDU-inspection-report.pdf"].body = pdf_bytes("dorset v2")

    def disk_full(*args) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fetcher, "install", disk_full)
    summary, _ = run(clean_site, tmp_path)

    [failed] = [r for r in summary.results if r.status == "failed"]
    assert "No space left" in failed.reason and failed.present
    assert (tmp_path / "dorset-pdu-inspection-report.pdf").read_bytes() == pdf_bytes("dorset")
    assert not list(tmp_path.glob(".partial-*"))
    entry = json.loads((tmp_path / MANIFEST_NAME).read_text())["reports"][url]
    assert entry["sha256"] == old_sha and entry["status"] == "failed"
