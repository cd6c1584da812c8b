"""GX's Data Docs of a validation, published beside the serving version, render from disk in headless Chromium
with a failed expectation's unexpected values; the dashboard links to them and `serving status` names them."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from expectations import SUITES, validate_suites
from expectations.data_docs import OVERVIEW
from serving.dashboard import DASHBOARD_NAME, build_dashboard
from serving.publish import DATA_DOCS, DB_NAME, MART_TABLES, publish
from serving.status import serving_status
from tests.browser import needs_chromium, run_chromium

pytestmark = pytest.mark.slow

BREAK = "update marts.scores set pct_yes = 140 where inspection_id = 'dorset-2023-08' and standard_code = '2.2'"


@pytest.fixture
def serving(broken: Callable[..., Path], tmp_path: Path) -> Path:
    """A version published from marts with a 140% (no checks gate this publish: it shows what docs show)."""
    warehouse = broken(BREAK)
    docs = tmp_path / "docs"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        results = validate_suites(SUITES, con, None, docs)
    assert [r.table for r in results if not r.success and r.severity == "error"] == ["marts.scores"]
    serving = tmp_path / "serving"
    publish(warehouse, serving, MART_TABLES, [], extra_dirs={DATA_DOCS: docs})
    return serving


def _text(dom: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", dom)))


@needs_chromium
def test_data_docs_render_from_disk_with_the_unexpected_values(serving: Path, tmp_path: Path) -> None:
    index = serving / "current" / DATA_DOCS / "index.html"
    dom = run_chromium(index.resolve().as_uri(), tmp_path / "profile", "--dump-dom")
    # The index's table (drawn by its script) leads to each validation's page.
    [link] = set(re.findall(r"validations/marts/scores/pct_within_0_100/[^\"' ]+\.html", dom))
    page = (index.resolve().parent / html.unescape(link)).resolve()
    assert page.is_file() and page.is_relative_to(index.resolve().parent)  # nothing outside the version's folder
    text = _text(run_chromium(page.as_uri(), tmp_path / "profile", "--dump-dom"))
    assert "Status: Failed" in text and "marts.scores.pct_within_0_100" in text
    found = re.search(r"Unexpected Value Count Index (\S+) (\d+)", text)
    assert found and found.group(1) == "140", text[-2000:]


def test_dashboard_links_the_versions_data_docs_and_status_names_them(serving: Path) -> None:
    page = build_dashboard(serving / DB_NAME, serving / DASHBOARD_NAME).read_text()
    [href] = re.findall(r'<a href="([^"]+)">data-quality checks \(Data Docs\)</a>', page)
    assert (serving / href).resolve() == (serving / "current" / DATA_DOCS / OVERVIEW).resolve()
    status = serving_status(serving)
    assert str(status.current.path / DATA_DOCS / OVERVIEW) in status.data_docs_line()


@needs_chromium
def test_the_overview_leads_to_the_failed_checks_gx_page_offline(serving: Path, tmp_path: Path) -> None:
    overview = (serving / "current" / DATA_DOCS / OVERVIEW).resolve()
    text = _text(run_chromium(overview.as_uri(), tmp_path / "profile", "--dump-dom"))
    assert re.search(r"pct_within_0_100 marts\.scores error FAILED: \d+ offending rows GX page", text), text
    assert "pct_within_0_100 marts.ratings error passed GX page" in text
    links = re.findall(r'href="(validations/marts/scores/pct_within_0_100/[^"]+)"', overview.read_text())
    assert len(links) == 1 and (overview.parent / html.unescape(links[0])).is_file()
