"""A self-contained HTML dashboard of the serving marts: data embedded as JSON, drawn as inline SVG by vanilla JS.

Nothing is fetched when the page is viewed (no CDN, no web fonts), so it can be mailed or opened offline.
"""

from __future__ import annotations

import html
import json
import os
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb

from expectations.data_docs import OVERVIEW
from ingestion.rating_scale import RATINGS, pct_band_ranges
from serving._dashboard_static import CSS, JS
from serving.publish import DATA_DOCS
from serving.reader import open_marts

DASHBOARD_NAME = "dashboard.html"

_QUERIES = {
    "inspections": """
        SELECT inspection_id, pdu_name, region, strftime(published_month, '%Y-%m') AS published,
               framework, overall_rating, score, max_score, score_pct, n_standards_rated,
               cases_inspected, interviews, lead_inspector, {kept_columns}
        FROM marts.inspections ORDER BY region, pdu_name, published_month""",
    "ratings": """
        SELECT inspection_id, framework, standard_code, standard_name, standard_key, rating, lowest_pct_yes,
               band_rating, discretion_applied
        FROM marts.ratings ORDER BY inspection_id, standard_code""",
    # Heatmap columns: harmonised standards, organisational ones first, then in the order of their codes
    # (the highest code of a key puts assessment, 2.2 in 2023 and 2.1 in 2024, after court work's 2.1).
    "standard_keys": """
        SELECT standard_key, min(domain) AS domain, max(standard_code) AS sort_code
        FROM marts.ratings WHERE standard_key IS NOT NULL
        GROUP BY standard_key ORDER BY domain, sort_code, standard_key""",
    "scores": """
        SELECT inspection_id, pdu_name, framework, standard_code, standard_name, standard_key, question_number,
               question_text, pct_yes, is_lowest, is_rated_standard
        FROM marts.scores WHERE pct_yes IS NOT NULL
        ORDER BY standard_key, framework, standard_code, inspection_id, question_number""",
    "recs_by_level": """
        SELECT recipient_level AS label, count(*) AS value FROM marts.recommendations
        GROUP BY recipient_level ORDER BY value DESC, label""",
    "recs_by_theme": """
        SELECT theme_label AS label, count(*) AS value FROM marts.recommendation_themes
        GROUP BY theme_label ORDER BY value DESC, label""",
    # "Keeping other people safe": each PDU's latest inspection (latest_scores), pooled per standard, PDU, region.
    "safe_by_standard": """
        SELECT standard_key AS label, median(pct_yes) AS median, min(pct_yes) AS low, max(pct_yes) AS high,
               count(*) AS n
        FROM marts.latest_scores WHERE theme = 'keeping_safe' GROUP BY standard_key ORDER BY label""",
    # The region's median is region_summary's; its whiskers are the lowest and highest of the same pooled
    # percentages (the keeping-safe questions of each PDU's latest inspection in the region).
    "safe_by_region": """
        SELECT r.region AS label, r.median_keeping_safe_pct AS median, s.low, s.high, s.n
        FROM marts.region_summary AS r
        LEFT JOIN (SELECT region, min(pct_yes) AS low, max(pct_yes) AS high, count(*) AS n
                   FROM marts.latest_scores WHERE theme = 'keeping_safe' GROUP BY region) AS s
          ON s.region IS NOT DISTINCT FROM r.region
        WHERE r.median_keeping_safe_pct IS NOT NULL ORDER BY median, label""",
    "safe_by_pdu": """
        SELECT pdu_name AS label, region, median(pct_yes) AS median, min(pct_yes) AS low, max(pct_yes) AS high,
               count(*) AS n
        FROM marts.latest_scores WHERE theme = 'keeping_safe' GROUP BY pdu_name, region ORDER BY median, label""",
    "trend": """
        SELECT quarter_label, inspections, n_outstanding, n_good, n_requires_improvement, n_inadequate,
               median_score_pct, median_keeping_safe_pct
        FROM marts.national_trend ORDER BY quarter_start""",
    "reinspections": """
        SELECT pdu_name, region, strftime(previous_published_month, '%Y-%m') AS previous_published,
               strftime(published_month, '%Y-%m') AS published, previous_overall_rating, overall_rating,
               previous_score_pct, score_pct, overall_rating_change, n_standards_up, n_standards_down,
               n_standards_same
        FROM marts.pdu_history WHERE previous_inspection_id IS NOT NULL
        ORDER BY score_pct - previous_score_pct DESC, pdu_name, published_month""",
    "recs_by_pdu": """
        SELECT pdu_name AS label, count(*) AS value FROM marts.recommendations
        GROUP BY pdu_name ORDER BY value DESC, label""",
}


def build_dashboard(marts_db: Path, out_html: Path) -> Path:
    """Render the dashboard of the serving copy at `marts_db` into `out_html` (replaced atomically)."""
    # Resolve the serving symlinks once: every query then reads the same published version.
    resolved = Path(marts_db).resolve()
    data = _load(resolved)
    data["version"] = _version_info(resolved)
    data_docs = _data_docs_link(resolved, Path(out_html))
    # The script orders and shades by the rating scale of the seed, not by a copy of its own.
    data["scale"] = {"ratings": list(RATINGS), "bands": [list(band) for band in pct_band_ranges()]}
    out_html = Path(out_html)
    out_html.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_html.with_name(f".{out_html.name}.{os.getpid()}.tmp")
    tmp.write_text(_render(data, data_docs), encoding="utf-8")
    os.replace(tmp, out_html)  # a browser reloading mid-build never gets a truncated page
    return out_html


# Set by the pipeline when a newer version of an inspection's report file could not be read and the marts keep
# its last good version; serving copies published before these columns existed lack them.
KEPT_COLUMNS = {"newer_file_rejected_at": "TIMESTAMP", "newer_file_rejected_reason": "VARCHAR"}


def _load(db: Path) -> dict:
    con = open_marts(db)
    try:
        present = {row[0] for row in con.execute("DESCRIBE marts.inspections").fetchall()}
        kept = ", ".join(
            name if name in present else f"NULL::{sql_type} AS {name}" for name, sql_type in KEPT_COLUMNS.items()
        )
        return {name: _records(con, sql.replace("{kept_columns}", kept)) for name, sql in _QUERIES.items()}
    finally:
        con.close()


def _records(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _version_info(db: Path) -> dict:
    manifest = db.parent / "version.json"
    info = json.loads(manifest.read_text()) if manifest.is_file() else {}
    return {
        "id": info.get("id", "unversioned"),
        "created": info.get("created"),
        "checks": len(info.get("checks", [])),
        "built": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def _data_docs_link(db: Path, out_html: Path) -> str | None:
    """Relative link from the page to the version's Data Docs (its GX validation), None when it has none."""
    page = db.parent / DATA_DOCS / OVERVIEW
    return os.path.relpath(page, out_html.resolve().parent) if page.is_file() else None


def _json_default(value: object) -> object:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _embed(data: dict) -> str:
    # "<" escaped as \u003c: report text can never close the <script> element that carries it.
    return json.dumps(data, default=_json_default).replace("<", "\\u003c")


def _bands_text() -> str:
    """The percentage bands in words ("below 50 Inadequate, 50&ndash;64 Requires improvement, ..., 80 and above ...")."""
    ranges = pct_band_ranges()
    words = [
        f"below {high} {rating}"
        if low == 0
        else f"{low} and above {rating}"
        if high == 100
        else f"{low}&ndash;{high - 1} {rating}"
        for low, high, rating in ranges
    ]
    return ", ".join(words)


def _render(data: dict, data_docs: str | None = None) -> str:
    version = data["version"]
    docs = f' &middot; <a href="{html.escape(data_docs)}">data-quality checks (Data Docs)</a>' if data_docs else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>HMI Probation PDU inspections</title>
<style>{CSS}</style>
</head>
<body>
<header>
  <h1>HMI Probation: PDU inspections</h1>
  <p class="meta">Serving version <code>{html.escape(version["id"])}</code> &middot; built {html.escape(version["built"])}
  &middot; <span id="summary"></span>{docs}</p>
  <p id="kept" class="kept" hidden></p>
</header>
<main>
  <section><h2>Ratings by standard</h2>
    <p class="note">One row per inspection; letters repeat the colour (O, G, RI, I).
    A dot in the corner marks a rating where the inspectors used discretion over the percentage band.
    Columns are standards across both frameworks (2023's 2.2 and 2024's 2.1 are both Assessment; Court work and
    Information and facilities exist only in 2023); hover for each report's own code.</p>
    <div class="chart" data-chart="heatmap"></div></section>
  <section><h2>Keeping other people safe</h2>
    <p class="note">Median percentage of cases judged sufficient on the key question about keeping other people
    safe, at each PDU's latest inspection: by standard, by region and by PDU (the bar's whiskers run from the lowest
    to the highest percentage). Shaded bands as below: {_bands_text()}.</p>
    <div class="pair">
      <div><h3>By standard</h3><div class="chart" data-chart="safe-standard"></div></div>
      <div><h3>By region</h3><div class="chart" data-chart="safe-region"></div></div>
    </div>
    <h3>By PDU</h3><div class="chart" data-chart="safe-pdu"></div></section>
  <section><h2>Trend by publication quarter</h2>
    <p class="note">Columns: share of the inspections published in the quarter per overall rating (count on top).
    Line: median keeping-other-people-safe percentage of those inspections. Quarters without an inspection are
    left out.</p>
    <div class="chart" data-chart="trend"></div></section>
  <section><h2>Re-inspections</h2>
    <p class="note">PDUs inspected more than once: score as a percentage of the maximum at the previous inspection
    (hollow) and this one (filled), with the change of overall rating and how many standards went up, down or
    stayed.</p>
    <div class="chart" data-chart="reinspections"></div></section>
  <section><h2>Key-question percentages against the rating bands</h2>
    <p class="note">Each mark is one key question of one inspection, one row per standard across both frameworks
    (the codes under its name: Assessment is 2.2 in 2023 and 2.1 in 2024). Filled dot: the lowest percentage of a
    rated standard's questions, the one that sets its band; hollow dot: its other questions; grey diamond: a
    question of a standard that is not rated (Outcomes). Equal percentages stack vertically; a stack too tall to
    draw ends in &ldquo;+n&rdquo;. Bands: {_bands_text()}.</p>
    <div class="chart" data-chart="bands"></div></section>
  <div class="pair">
    <section><h2>Recommendations by recipient level</h2><div class="chart" data-chart="recs-level"></div></section>
    <section><h2>Recommendations by PDU</h2><div class="chart" data-chart="recs-pdu"></div></section>
  </div>
  <section><h2>Recommendations by theme</h2>
    <p class="note">A recommendation may have several themes (keyword patterns a user can extend);
    &ldquo;other&rdquo; when none matches.</p>
    <div class="chart" data-chart="recs-theme"></div></section>
  <section><h2>Inspections</h2><p class="note">Click a column heading to sort; click again to reverse.</p>
    <div class="chart" data-chart="table"></div></section>
</main>
<footer>Contains public sector information from HM Inspectorate of Probation reports,
licensed under the Open Government Licence v3.0.</footer>
<noscript><p>The charts need JavaScript; the data is in the embedded JSON.</p></noscript>
<script type="application/json" id="dashboard-data">{_embed(data)}</script>
<script>{JS}</script>
</body>
</html>
"""
