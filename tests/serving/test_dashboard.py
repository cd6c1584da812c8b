"""The dashboard: a self-contained page, rendered for real in headless Chromium."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import lxml.html
import pytest

from serving.dashboard import build_dashboard
from serving.publish import MART_TABLES, publish
from tests.browser import needs_chromium, run_chromium
from tests.dbt.warehouse_fixtures import DORSET_2025, SEED_REPORTS, Dbt, build_warehouse
from tests.serving.marts_data import mart_counts

CHARTS = [
    "heatmap",
    "safe-standard",
    "safe-region",
    "safe-pdu",
    "trend",
    "reinspections",
    "bands",
    "recs-level",
    "recs-pdu",
    "recs-theme",
    "table",
]


@pytest.fixture
def dashboard(warehouse: Path, serving: Path) -> Path:
    publish(warehouse, serving, MART_TABLES, [])
    return build_dashboard(serving / "marts.duckdb", serving / "dashboard.html")


def chromium(page: Path, profile: Path, *args: str) -> str:
    return run_chromium(page.as_uri(), profile, *args)


def test_page_is_self_contained(dashboard: Path) -> None:
    page = dashboard.read_text()
    for chart in CHARTS:
        assert f'data-chart="{chart}"' in page
    # Nothing to fetch when viewed: no external scripts, styles, images or fonts.
    assert not re.search(r"<(link|img|iframe)\b|\bsrc=|@import|url\(", page)
    assert set(re.findall(r"https?://[^\s\"'<>]+", page)) <= {"http://www.w3.org/2000/svg"}
    # Report text travels as data: markup in it cannot leave the JSON island.
    assert page.count("</script>") == 2 and "\\u003c/script>" in page


def test_build_replaces_the_page_atomically(dashboard: Path) -> None:
    before = dashboard.stat().st_ino
    build_dashboard(dashboard.parent / "marts.duckdb", dashboard)
    assert dashboard.stat().st_ino != before  # a new file renamed over the old one, never rewritten in place
    assert not list(dashboard.parent.glob(".dashboard.html.*"))


browser = needs_chromium


@pytest.mark.browser
@browser
def test_charts_render_in_chromium(dashboard: Path, tmp_path: Path) -> None:
    dom = lxml.html.fromstring(chromium(dashboard, tmp_path / "profile", "--dump-dom"))
    counts = mart_counts(dashboard.parent / "marts.duckdb")

    assert dom.body.get("data-rendered") == "true"
    for chart in CHARTS:
        assert dom.xpath(f'//*[@data-chart="{chart}"]/*'), f"{chart} drew nothing"
    assert len(dom.xpath('//*[@data-chart="heatmap"]//rect[@class="cell"]')) == counts["ratings"]
    ratings = {r.get("data-rating") for r in dom.xpath('//rect[@class="cell"]')}
    assert ratings == {"Inadequate", "Requires improvement", "Good"}
    assert len(dom.xpath('//*[@data-chart="heatmap"]//rect[@class="legend-swatch"]')) == 4
    assert len(dom.xpath('//*[@data-chart="bands"]//rect[@class="band"]')) == 4
    assert len(dom.xpath('//*[@data-chart="bands"]//circle[@class="point"]')) == counts["scores"]
    assert len(dom.xpath('//*[@data-chart="recs-level"]//rect[@class="bar"]')) == 3  # PDU, Region, HMPPS
    assert len(dom.xpath('//*[@data-chart="recs-pdu"]//rect[@class="bar"]')) == 3
    assert len(dom.xpath('//*[@data-chart="table"]//tbody/tr')) == counts["inspections"]
    assert len(dom.xpath('//circle[@class="discretion"]')) == 1  # Portsmouth court work, 48% published RI
    # Heatmap columns are harmonised standards: nine keys (the 2023 framework's), 2024 cells under the same keys.
    assert len(dom.xpath('//*[@data-chart="heatmap"]//*[@class="column-label"]')) == 9
    assert len(dom.xpath('//rect[@class="cell"][@data-key="assessment"]')) == 3
    # Keeping other people safe: the four case-supervision standards, three regions, three PDUs.
    for chart, bars in (("safe-standard", 4), ("safe-region", 3), ("safe-pdu", 3)):
        assert len(dom.xpath(f'//*[@data-chart="{chart}"]//rect[@class="safe-bar"]')) == bars, chart
    # Two quarters: 2023-Q3 (Portsmouth RI, Dorset Inadequate) and 2024-Q4 (Doncaster Inadequate).
    assert [t.text for t in dom.xpath('//*[@class="quarter-label"]')] == ["2023-Q3", "2024-Q4"]
    assert len(dom.xpath('//rect[@class="trend-segment"]')) == 3
    assert len(dom.xpath('//circle[@class="trend-point"]')) == 2
    assert dom.xpath('//*[@data-chart="reinspections"]/p[@class="empty"]')  # nobody inspected twice
    assert len(dom.xpath('//*[@data-chart="recs-theme"]//rect[@class="bar"]')) == 3


@pytest.mark.browser
@browser
def test_table_sorts_on_header_click(dashboard: Path, tmp_path: Path) -> None:
    # Test-only copy of the page that clicks a heading twice and records the row order after each click.
    probe = """<script>
    (function () {
      var button = document.querySelector('th[data-key="score_pct"] button');
      var order = function () {
        return Array.from(document.querySelectorAll('[data-chart="table"] tbody tr'))
          .map(function (tr) { return tr.cells[0].textContent; }).join("|");
      };
      button.click(); document.body.dataset.firstClick = order();
      button.click(); document.body.dataset.secondClick = order();
    })();
    </script></body>"""
    page = tmp_path / "probe.html"
    page.write_text(dashboard.read_text().replace("</body>", probe))
    body = lxml.html.fromstring(chromium(page, tmp_path / "profile", "--dump-dom")).body

    assert body.get("data-first-click") == "Dorset|Doncaster|Portsmouth and the Isle of Wight"  # 11.1, 14.3, 22.2
    assert body.get("data-second-click") == "Portsmouth and the Isle of Wight|Doncaster|Dorset"
    assert body.xpath('//th[@data-key="score_pct"]')[0].get("aria-sort") == "descending"


@pytest.mark.browser
@browser
def test_screenshot(dashboard: Path, tmp_path: Path) -> None:
    shot = tmp_path / "dashboard.png"
    chromium(dashboard, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1400,2900")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    keep = Path(__file__).resolve().parents[2] / "docs" / "dashboard.png"
    if os.environ.get("UPDATE_DASHBOARD_SCREENSHOT") == "1":
        shutil.copyfile(shot, keep)


@pytest.mark.browser
@pytest.mark.slow
@browser
def test_reinspection_and_harmonised_columns_on_dbt_marts(tmp_path: Path) -> None:
    """The page on marts built by dbt: Dorset re-inspected under the 2024 framework shows as a re-inspection, and
    its 2024 Assessment (2.1) lands in the same column as the 2023 Assessment (2.2)."""
    work = tmp_path / "warehouse"
    warehouse = build_warehouse(
        work, Dbt(tmp_path / "dbt"), current=(*SEED_REPORTS, DORSET_2025), history=(), quarantined=()
    )
    publish(warehouse, work, MART_TABLES, [])
    page = build_dashboard(work / "marts.duckdb", work / "dashboard.html")
    dom = lxml.html.fromstring(chromium(page, tmp_path / "profile", "--dump-dom"))

    assert dom.body.get("data-rendered") == "true"
    assert [c.get("data-change") for c in dom.xpath('//circle[@class="reinspection"]')] == ["up"]
    assert len(dom.xpath('//rect[@class="cell"][@data-key="assessment"]')) == 4
    assert len(dom.xpath('//rect[@class="cell"][@data-key="court_work"]')) == 2  # 2023 framework only
    assert len(dom.xpath('//*[@data-chart="heatmap"]//rect[@class="na"]')) == 2 * 2  # 2024 rows: no such standards
