"""A small working warehouse with the contract's `marts` tables, crafted for three sample inspections."""

from __future__ import annotations

from pathlib import Path

import duckdb

from ingestion import rating_scale
from serving.publish import MART_TABLES
from serving.reader import open_marts

# (inspection_id, pdu, region, published, framework, overall, score, max, fieldwork start)
INSPECTIONS = [
    ("dorset-2023-08", "Dorset", "South West", "2023-08-01", "pdu-2023", "Inadequate", 3, 27, "2023-06-12"),
    (
        "portsmouth-2023-07",
        "Portsmouth and the Isle of Wight",
        "South Central",
        "2023-07-01",
        "pdu-2023",
        "Requires improvement",
        6,
        27,
        "2023-05-08",
    ),
    (
        "doncaster-2024-10",
        "Doncaster",
        "Yorkshire and the Humber",
        "2024-10-01",
        "pdu-2024",
        "Inadequate",
        3,
        21,
        "2024-07-08",
    ),
]
STANDARDS_2023 = [
    ("1.1", "Leadership", 1),
    ("1.2", "Staff", 1),
    ("1.3", "Services", 1),
    ("1.4", "Information and facilities", 1),
    ("2.1", "Court work", 2),
    ("2.2", "Assessment", 2),
    ("2.3", "Planning", 2),
    ("2.4", "Implementation and delivery", 2),
    ("2.5", "Reviewing", 2),
]
STANDARDS_2024 = [
    ("1.1", "Leadership", 1),
    ("1.2", "Staffing", 1),
    ("1.3", "Services", 1),
    ("2.1", "Assessment", 2),
    ("2.2", "Planning", 2),
    ("2.3", "Implementation and delivery", 2),
    ("2.4", "Reviewing", 2),
]
IN, RI, G = "Inadequate", "Requires improvement", "Good"
# Ratings per inspection in standard order; points add up to the published score (3, 6 and 3).
RATINGS = {
    "dorset-2023-08": [IN, RI, IN, RI, RI, IN, IN, IN, IN],
    "portsmouth-2023-07": [RI, RI, RI, G, RI, IN, IN, IN, IN],
    "doncaster-2024-10": [RI, IN, RI, RI, IN, IN, IN],
}
# Key-question percentages of the domain-2 standards, same order (Court work has one question).
# Question texts end in "</script>" so the dashboard test can prove report text never escapes its JSON island.
PCTS = {
    "dorset-2023-08": [[55], [45, 38, 52], [40, 47, 33], [49, 44, 41], [37, 46, 30]],
    "portsmouth-2023-07": [[48], [52, 44, 60], [47, 39, 55], [46, 43, 58], [42, 40, 35]],
    "doncaster-2024-10": [[51, 62, 57], [44, 36, 49], [41, 39, 45], [33, 38, 29]],
}
OUTCOMES = {"dorset-2023-08": 38, "portsmouth-2023-07": 41}  # Doncaster (2024) gives outcomes as prose only
POINTS = rating_scale.RATING_POINTS
RECOMMENDATIONS = {
    "dorset-2023-08": ["PDU", "PDU", "PDU", "Region", "Region", "HMPPS"],
    "portsmouth-2023-07": ["PDU", "PDU", "PDU", "PDU", "Region", "HMPPS", "HMPPS"],
    "doncaster-2024-10": ["PDU", "PDU", "Region", "HMPPS", "HMPPS"],
}

DDL = """
CREATE SCHEMA marts;
CREATE TABLE marts.inspections (inspection_id TEXT PRIMARY KEY, pdu_name TEXT, region TEXT, published_month DATE,
  fieldwork_start_date DATE, framework TEXT, overall_rating TEXT, score INTEGER, max_score INTEGER, score_pct DOUBLE,
  n_standards_rated INTEGER, cases_inspected INTEGER, interviews INTEGER, lead_inspector TEXT, chief_inspector TEXT,
  source_file TEXT, source_format TEXT, content_sha256 TEXT, newer_file_rejected_at TIMESTAMP,
  newer_file_rejected_reason TEXT);
CREATE TABLE marts.ratings (inspection_id TEXT, pdu_name TEXT, standard_code TEXT, standard_name TEXT,
  domain INTEGER, rating TEXT, rating_points INTEGER, lowest_pct_yes INTEGER, band_rating TEXT,
  discretion_applied BOOLEAN, standard_key TEXT, framework TEXT);
CREATE TABLE marts.scores (inspection_id TEXT, pdu_name TEXT, framework TEXT, standard_code TEXT, standard_name TEXT,
  question_number INTEGER, question_text TEXT, pct_yes INTEGER, is_lowest BOOLEAN, is_rated_standard BOOLEAN,
  standard_key TEXT, theme TEXT);
CREATE TABLE marts.recommendations (inspection_id TEXT, pdu_name TEXT, rec_number INTEGER, recipient TEXT,
  recipient_level TEXT, text TEXT);
CREATE TABLE marts.findings (inspection_id TEXT, standard_code TEXT, kind TEXT, text TEXT);
CREATE TABLE marts.pdus (pdu_name TEXT, region TEXT, inspections_count INTEGER, latest_inspection_id TEXT,
  latest_overall_rating TEXT);
"""


# The analyst marts, derived from the crafted ones above in the simplest way that gives them their shape (the
# real derivations are dbt's, tested in tests/dbt): every inspection is its PDU's first and latest.
ANALYST_DDL = """
CREATE TABLE marts.latest_inspections AS SELECT inspection_id, pdu_name, region, published_month, framework,
  overall_rating, score, max_score, score_pct, n_standards_rated, 1 AS inspections_count FROM marts.inspections;
CREATE TABLE marts.latest_ratings AS SELECT r.inspection_id, r.pdu_name, i.region, i.published_month, i.framework,
  r.standard_key, r.standard_code, r.standard_name, r.rating, r.rating_points, r.lowest_pct_yes
  FROM marts.ratings AS r JOIN marts.inspections AS i USING (inspection_id);
CREATE TABLE marts.latest_scores AS SELECT s.inspection_id, s.pdu_name, i.region, i.published_month, i.framework,
  s.standard_key, s.standard_code, s.question_number, s.theme, s.pct_yes
  FROM marts.scores AS s JOIN marts.inspections AS i USING (inspection_id);
CREATE TABLE marts.pdu_history AS SELECT inspection_id, pdu_name, region, published_month, framework,
  1 AS inspection_number, overall_rating, score, max_score, score_pct, NULL::TEXT AS previous_inspection_id,
  NULL::DATE AS previous_published_month, NULL::TEXT AS previous_framework, NULL::TEXT AS previous_overall_rating,
  NULL::DOUBLE AS previous_score_pct, NULL::DOUBLE AS score_pct_change, NULL::TEXT AS overall_rating_change,
  NULL::INTEGER AS months_since_previous, NULL::INTEGER AS n_standards_compared, NULL::INTEGER AS n_standards_up,
  NULL::INTEGER AS n_standards_down, NULL::INTEGER AS n_standards_same FROM marts.inspections;
CREATE TABLE marts.pdu_standard_history AS SELECT inspection_id, pdu_name, standard_key, standard_code, rating,
  NULL::TEXT AS previous_rating, NULL::TEXT AS change FROM marts.ratings;
CREATE TABLE marts.region_summary AS SELECT region, count(*) AS pdus_inspected,
  median(score_pct) AS median_score_pct, count(*) FILTER (WHERE overall_rating = 'Inadequate') AS n_inadequate,
  (SELECT median(s.pct_yes) FROM marts.latest_scores AS s WHERE s.region = i.region AND s.theme = 'keeping_safe')
    AS median_keeping_safe_pct
  FROM marts.inspections AS i GROUP BY region;
CREATE TABLE marts.region_key_questions AS SELECT region, standard_key, theme, median(pct_yes) AS median_pct_yes
  FROM marts.latest_scores WHERE theme IS NOT NULL GROUP BY ALL;
CREATE TABLE marts.national_trend AS SELECT year(published_month) AS published_year,
  quarter(published_month) AS published_quarter, date_trunc('quarter', published_month)::DATE AS quarter_start,
  year(published_month) || '-Q' || quarter(published_month) AS quarter_label, count(*) AS inspections,
  {shares}, median(score_pct) AS median_score_pct,
  (SELECT median(s.pct_yes) FROM marts.scores AS s JOIN marts.inspections AS j USING (inspection_id)
   WHERE date_trunc('quarter', j.published_month) = date_trunc('quarter', i.published_month)
     AND s.theme = 'keeping_safe') AS median_keeping_safe_pct
  FROM marts.inspections AS i GROUP BY ALL;
CREATE TABLE marts.national_trend_key_questions AS SELECT date_trunc('quarter', i.published_month)::DATE
  AS quarter_start, s.standard_key, s.theme, median(s.pct_yes) AS median_pct_yes
  FROM marts.scores AS s JOIN marts.inspections AS i USING (inspection_id) WHERE s.theme IS NOT NULL GROUP BY ALL;
CREATE TABLE marts.recommendation_themes AS SELECT inspection_id, pdu_name, rec_number, recipient_level,
  CASE recipient_level WHEN 'PDU' THEN 'risk_of_harm' WHEN 'Region' THEN 'staffing_and_workloads' ELSE 'other' END
    AS theme, CASE recipient_level WHEN 'PDU' THEN 'Risk of harm' WHEN 'Region' THEN 'Staffing and workloads'
    ELSE 'Other' END AS theme_label, 1 AS n_themes, text FROM marts.recommendations;
""".format(
    shares=", ".join(
        f"count(*) FILTER (WHERE overall_rating = '{rating}') AS n_{rating.lower().replace(' ', '_')}"
        for rating in rating_scale.RATINGS
    )
)
STANDARD_KEYS = {
    ("pdu-2023", "1.1"): "leadership",
    ("pdu-2023", "1.2"): "staffing",
    ("pdu-2023", "1.3"): "services",
    ("pdu-2023", "1.4"): "information_and_facilities",
    ("pdu-2023", "2.1"): "court_work",
    ("pdu-2023", "2.2"): "assessment",
    ("pdu-2023", "2.3"): "planning",
    ("pdu-2023", "2.4"): "implementation_and_delivery",
    ("pdu-2023", "2.5"): "reviewing",
    ("pdu-2024", "1.1"): "leadership",
    ("pdu-2024", "1.2"): "staffing",
    ("pdu-2024", "1.3"): "services",
    ("pdu-2024", "2.1"): "assessment",
    ("pdu-2024", "2.2"): "planning",
    ("pdu-2024", "2.3"): "implementation_and_delivery",
    ("pdu-2024", "2.4"): "reviewing",
}


def theme(key: str, number: int) -> str:
    return "court_work" if key == "court_work" else ("engagement", "desistance", "keeping_safe")[number - 1]


def band(pct: int) -> str:
    return rating_scale.band_for_pct(pct)


def _rows() -> dict[str, list[tuple]]:
    rows: dict[str, list[tuple]] = {
        t: [] for t in ("inspections", "ratings", "scores", "recommendations", "findings", "pdus")
    }
    for iid, pdu, region, published, framework, overall, score, max_score, fieldwork in INSPECTIONS:
        standards = STANDARDS_2023 if framework == "pdu-2023" else STANDARDS_2024
        rows["inspections"].append(
            (
                iid,
                pdu,
                region,
                published,
                fieldwork,
                framework,
                overall,
                score,
                max_score,
                round(100 * score / max_score, 1),
                len(standards),
                45,
                30,
                "Lead Inspector",
                "Chief Inspector",
                f"{iid}.txt",
                "text",
                "0" * 64,
                None,
                None,
            )
        )
        rows["pdus"].append((pdu, region, 1, iid, overall))
        pcts = iter(PCTS[iid])
        for (code, name, domain), rating in zip(standards, RATINGS[iid], strict=True):
            qs = next(pcts) if domain == 2 else []
            low = min(qs) if qs else None
            key = STANDARD_KEYS[(framework, code)]
            rows["ratings"].append(
                (
                    iid,
                    pdu,
                    code,
                    name,
                    domain,
                    rating,
                    POINTS[rating],
                    low,
                    band(low) if qs else None,
                    bool(qs) and band(low) != rating,
                    key,
                    framework,
                )
            )
            rows["scores"] += [
                (
                    iid,
                    pdu,
                    framework,
                    code,
                    name,
                    n,
                    f"Question {n} of {name} </script>",
                    p,
                    p == low,
                    True,
                    key,
                    theme(key, n),
                )
                for n, p in enumerate(qs, start=1)
            ]
            rows["findings"] += [
                (iid, code, "strength", f"{name} strength"),
                (iid, code, "improvement", f"{name} to improve"),
            ]
        if iid in OUTCOMES:
            rows["scores"].append(
                (
                    iid,
                    pdu,
                    framework,
                    "2.6",
                    "Outcomes",
                    1,
                    "Outcomes question",
                    OUTCOMES[iid],
                    True,
                    False,
                    "outcomes",
                    "outcomes",
                )
            )
        rows["recommendations"] += [
            (iid, pdu, n, f"{level} recipient", level, f"Recommendation {n} <b>&amp;</b>")
            for n, level in enumerate(RECOMMENDATIONS[iid], start=1)
        ]
    return rows


def build_working_warehouse(path: Path) -> dict[str, int]:
    """Create the working warehouse at `path`; return the row count per mart table."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    try:
        con.execute(DDL)
        for table, rows in _rows().items():
            marks = ", ".join("?" * len(rows[0]))
            con.executemany(f"INSERT INTO marts.{table} VALUES ({marks})", rows)
        con.execute(ANALYST_DDL)
        return {t: con.execute(f"SELECT count(*) FROM marts.{t}").fetchone()[0] for t in MART_TABLES}
    finally:
        con.close()


def add_inspection(path: Path) -> None:
    """Change the working marts the way a refresh would: one more PDU, inspection and recommendation."""
    con = duckdb.connect(str(path))
    try:
        con.execute("""INSERT INTO marts.inspections (inspection_id, pdu_name, region, published_month, framework,
                       overall_rating, score, max_score, score_pct, n_standards_rated)
                       VALUES ('leeds-2024-12', 'Leeds', 'Yorkshire and the Humber', DATE '2024-12-01', 'pdu-2024',
                       'Good', 12, 21, 57.1, 7)""")
        con.execute("INSERT INTO marts.pdus VALUES ('Leeds', 'Yorkshire and the Humber', 1, 'leeds-2024-12', 'Good')")
        con.execute("INSERT INTO marts.recommendations VALUES ('leeds-2024-12', 'Leeds', 1, 'Leeds PDU', 'PDU', 'x')")
    finally:
        con.close()


def mart_counts(db: Path) -> dict[str, int]:
    con = open_marts(db)
    try:
        return {t: con.execute(f"SELECT count(*) FROM marts.{t}").fetchone()[0] for t in MART_TABLES}
    finally:
        con.close()


def keep_last_good(path: Path, inspection_id: str, since: str, reason: str) -> None:
    """Mark an inspection as the pipeline does when a newer version of its report file could not be read."""
    con = duckdb.connect(str(path))
    try:
        con.execute(
            "UPDATE marts.inspections SET newer_file_rejected_at = ?::TIMESTAMP, newer_file_rejected_reason = ?"
            " WHERE inspection_id = ?",
            [since, reason, inspection_id],
        )
    finally:
        con.close()


def drop_kept_columns(path: Path) -> None:
    """Make the working marts look like those published before the last-good-version columns existed."""
    con = duckdb.connect(str(path))
    try:
        for column in ("newer_file_rejected_at", "newer_file_rejected_reason"):
            con.execute(f"ALTER TABLE marts.inspections DROP COLUMN {column}")
    finally:
        con.close()
