"""The dashboard: a self-contained page, rendered for real in headless Chromium."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import duckdb
import lxml.html
import pytest

from serving.dashboard import build_dashboard
from serving.publish import MART_TABLES, publish
from tests.browser import needs_chromium, run_chromium
from tests.dbt.warehouse_fixtures import DORSET_2025, SEED_REPORTS, Dbt, build_warehouse
from tests.serving.marts_data import drop_kept_columns, keep_last_good, mart_counts

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
    assert len(dom.xpath('//*[@data-chart="bands"]//*[@class="point"]')) == counts["scores"]
    assert len(dom.xpath('//*[@data-chart="recs-level"]//rect[@class="bar"]')) == 3  # PDU, Region, HMPPS
    assert len(dom.xpath('//*[@data-chart="recs-pdu"]//rect[@class="bar"]')) == 3
    assert len(dom.xpath('//*[@data-chart="table"]//tbody/tr')) == counts["inspections"]
    assert not dom.xpath('//*[@class="kept-note"]') and dom.get_element_by_id("kept").get("hidden") is not None
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
    # Key questions on dbt's marts: the same harmonised rows, the 2024 Assessment (2.1) in the Assessment row.
    rows = [r.text for r in dom.xpath('//*[@data-chart="bands"]//*[@class="group-label"]')]
    assert rows[:2] == ["Court work", "Assessment"] and rows[-1] == "Outcomes (not rated)" and len(rows) == 6
    marks = band_marks(dom)
    assert len(marks) == mart_counts(work / "marts.duckdb")["scores"]
    assert_no_mark_hides_another(marks)
    assert {m.get("data-kind") for m in marks if "Outcomes" in title(m)} == {"unrated"}


# --- the page read as an analyst would ------------------------------------------------------------------------


def render(warehouse: Path, serving: Path, profile: Path) -> lxml.html.HtmlElement:
    """Publish the working marts as they are now, build the page and return the DOM Chromium drew."""
    publish(warehouse, serving, MART_TABLES, [])
    page = build_dashboard(serving / "marts.duckdb", serving / "dashboard.html")
    dom = lxml.html.fromstring(chromium(page, profile, "--dump-dom"))
    assert dom.body.get("data-rendered") == "true"
    return dom


def centre(mark: lxml.html.HtmlElement) -> tuple[float, float]:
    """Centre of a key-question mark: a circle, or a diamond path translated to its place."""
    if mark.tag == "circle":
        return float(mark.get("cx")), float(mark.get("cy"))
    x, y = re.fullmatch(r"translate\(([-\d.]+) ([-\d.]+)\)", mark.get("transform")).groups()
    return float(x), float(y)


def band_marks(dom: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    return dom.xpath('//*[@data-chart="bands"]//*[@class="point"]')


def title(node: lxml.html.HtmlElement) -> str:
    return node.findtext("title") or ""


def assert_no_mark_hides_another(marks: list[lxml.html.HtmlElement]) -> None:
    # A mark is 9.5 px across with its outline: centres at least that far apart never overlap.
    centres = [centre(m) for m in marks]
    for i, (x1, y1) in enumerate(centres):
        for j in range(i):
            x2, y2 = centres[j]
            assert ((x1 - x2) ** 2 + (y1 - y2) ** 2) ** 0.5 >= 9.5, (title(marks[i]), title(marks[j]))


@pytest.mark.browser
@browser
def test_key_questions_one_row_per_harmonised_standard(warehouse: Path, serving: Path, tmp_path: Path) -> None:
    dom = render(warehouse, serving, tmp_path / "profile")
    rows = dom.xpath('//*[@data-chart="bands"]//*[@class="group-label"]')
    # 2023's 2.2 and 2024's 2.1 Assessment share a row; Court work (2023 only) is never beside 2024's 2.1.
    assert [r.text for r in rows] == [
        "Court work",
        "Assessment",
        "Planning",
        "Implementation and delivery",
        "Reviewing",
        "Outcomes (not rated)",
    ]
    row_y = {r.text: float(r.get("y")) for r in rows}
    marks = band_marks(dom)
    for mark in marks:
        name = re.search(r"pdu-202\d [\d.]+ ([^Q]+) Q", title(mark)).group(1).strip()
        row = "Outcomes (not rated)" if name == "Outcomes" else name
        nearest = min(row_y, key=lambda r: abs(row_y[r] - centre(mark)[1]))
        assert nearest == row, title(mark)
    assert sum("pdu-2024 2.1 Assessment" in title(m) for m in marks) == 3  # Doncaster's, in the Assessment row
    assert_no_mark_hides_another(marks)


@pytest.mark.browser
@browser
def test_unrated_outcomes_drawn_as_the_legend_says(warehouse: Path, serving: Path, tmp_path: Path) -> None:
    dom = render(warehouse, serving, tmp_path / "profile")
    legend = dom.xpath('//*[@data-chart="bands"]//*[@class="legend-mark"]')
    assert [m.get("data-kind") for m in legend] == ["lowest", "other", "unrated"]
    shape = {m.get("data-kind"): (m.tag, m.get("fill"), m.get("stroke")) for m in legend}
    marks = band_marks(dom)
    for mark in marks:
        kind = mark.get("data-kind")
        assert (mark.tag, mark.get("fill"), mark.get("stroke")) == shape[kind]
        # Outcomes is its standard's only (so lowest) question, yet sets no band: drawn as unrated, not filled.
        assert (kind == "unrated") == ("2.6 Outcomes" in title(mark)), title(mark)
    with duckdb.connect(str(serving / "marts.duckdb"), read_only=True) as con:
        lowest_rated = con.execute("SELECT count(*) FROM marts.scores WHERE is_lowest AND is_rated_standard").fetchone()
    assert sum(m.get("data-kind") == "lowest" for m in marks) == lowest_rated[0]
    assert sum(m.get("data-kind") == "unrated" for m in marks) == 2  # Dorset's and Portsmouth's


@pytest.mark.browser
@browser
def test_equal_percentages_stack_and_a_tall_stack_says_how_many_more(
    warehouse: Path, serving: Path, tmp_path: Path
) -> None:
    with duckdb.connect(str(warehouse)) as con:
        # Every Assessment question at 45%: nine marks on one spot, three from each inspection.
        con.execute("UPDATE marts.scores SET pct_yes = 45 WHERE standard_key = 'assessment'")
        # Ten more Planning questions at 40%, beside the three there: 13 at 40%, over the 12 a row draws.
        con.execute("UPDATE marts.scores SET pct_yes = 40 WHERE standard_key = 'planning' AND question_number = 1")
        con.execute("""INSERT INTO marts.scores SELECT s.* REPLACE (10 * n AS question_number)
                       FROM marts.scores AS s, range(1, 11) AS r(n)
                       WHERE s.inspection_id = 'dorset-2023-08' AND s.standard_key = 'planning'
                         AND s.question_number = 1""")
        at_40 = "SELECT count(*) FROM marts.scores WHERE standard_key = 'planning' AND pct_yes = 40"
        assert con.execute(at_40).fetchone()[0] == 13
    dom = render(warehouse, serving, tmp_path / "profile")
    marks = band_marks(dom)
    at_45 = [m for m in marks if "Assessment" in title(m)]
    assert len(at_45) == 9 and len({centre(m)[0] for m in at_45}) == 1
    assert_no_mark_hides_another(marks)
    at_40 = [m for m in marks if "Planning" in title(m) and " 40%" in title(m)]
    more = dom.xpath('//*[@data-chart="bands"]//*[@class="stack-more"]')
    assert len(at_40) == 11 and [m.text for m in more] == ["+2"]
    assert len(title(more[0]).splitlines()) == 2  # the two not drawn, named


@pytest.mark.browser
@browser
def test_region_bars_have_whiskers_from_lowest_to_highest(warehouse: Path, serving: Path, tmp_path: Path) -> None:
    dom = render(warehouse, serving, tmp_path / "profile")
    with duckdb.connect(str(serving / "marts.duckdb"), read_only=True) as con:
        spread = con.execute("""SELECT region, min(pct_yes), max(pct_yes) FROM marts.latest_scores
                                WHERE theme = 'keeping_safe' GROUP BY region""").fetchall()
    labels = [t.text for t in dom.xpath('//*[@data-chart="safe-region"]//text[@text-anchor="end"]')]
    whiskers = dom.xpath('//*[@data-chart="safe-region"]//*[@class="whisker"]')
    # Every region has a spread here, so every bar has a whisker, in the bars' order, at the region's extremes.
    assert len(whiskers) == len(labels) == 3
    drawn = {
        (label, int(w.get("data-low")), int(w.get("data-high"))) for label, w in zip(labels, whiskers, strict=True)
    }
    assert drawn == set(spread)
    x = re.findall(r"M([\d.]+),", whiskers[0].get("d"))
    bar = dom.xpath('//*[@data-chart="safe-region"]//rect[@class="safe-bar"]')[0]
    assert float(x[0]) < float(bar.get("x")) + float(bar.get("width")) < float(x[-1])  # median within the whisker


KEPT_REASON = 'standard 2.4: rating "Inadequte" is not a rating of the scale'


@pytest.mark.browser
@browser
def test_inspection_kept_at_its_last_good_version_is_named(warehouse: Path, serving: Path, tmp_path: Path) -> None:
    keep_last_good(warehouse, "doncaster-2024-10", "2026-12-01 06:15:00", KEPT_REASON)
    dom = render(warehouse, serving, tmp_path / "profile")
    notes = dom.xpath('//*[@data-chart="table"]//tbody/tr[.//*[@class="kept-note"]]')
    assert [tr.xpath("string(td[1]/text())") for tr in notes] == ["Doncaster"]
    note = notes[0].xpath('.//*[@class="kept-note"]')[0].text
    assert note == f"kept last good version since 2026-12-01 06:15: {KEPT_REASON}"
    banner = dom.get_element_by_id("kept")
    assert banner.get("hidden") is None and "Doncaster (2024-10) since 2026-12-01 06:15" in banner.text


@pytest.mark.browser
@browser
def test_serving_copy_without_the_last_good_columns(warehouse: Path, serving: Path, tmp_path: Path) -> None:
    # Versions published before the pipeline kept last good versions have no such columns: nothing to note.
    drop_kept_columns(warehouse)
    dom = render(warehouse, serving, tmp_path / "profile")
    assert len(dom.xpath('//*[@data-chart="table"]//tbody/tr')) == 3
    assert not dom.xpath('//*[@class="kept-note"]')
    assert dom.get_element_by_id("kept").get("hidden") is not None
