"""A small working warehouse with the contract's `marts` tables, crafted for three sample inspections."""

from __future__ import annotations

from pathlib import Path

import duckdb

from orchestration.serving.reader import open_marts

# (inspection_id, pdu, region, published, framework, overall, score, max, fieldwork start)
INSPECTIONS = [
    ("dorset-2023-08", "Dorset", "South West", "2023-08-01", "pdu-2023", "Inadequate", 3, 27, "2023-06-12"),
    ("portsmouth-2023-07", "Portsmouth and the Isle of Wight", "South Central", "2023-07-01", "pdu-2023",
     "Requires improvement", 6, 27, "2023-05-08"),
    ("doncaster-2024-10", "Doncaster", "Yorkshire and the Humber", "2024-10-01", "pdu-2024", "Inadequate", 3, 21,
     "2024-07-08"),
]
STANDARDS_2023 = [("1.1", "Leadership", 1), ("1.2", "Staff", 1), ("1.3", "Services", 1),
                  ("1.4", "Information and facilities", 1), ("2.1", "Court work", 2), ("2.2", "Assessment", 2),
                  ("2.3", "Planning", 2), ("2.4", "Implementation and delivery", 2), ("2.5", "Reviewing", 2)]
STANDARDS_2024 = [("1.1", "Leadership", 1), ("1.2", "Staffing", 1), ("1.3", "Services", 1), ("2.1", "Assessment", 2),
                  ("2.2", "Planning", 2), ("2.3", "Implementation and delivery", 2), ("2.4", "Reviewing", 2)]
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
POINTS = {"Outstanding": 3, "Good": 2, "Requires improvement": 1, "Inadequate": 0}
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
  source_file TEXT, source_format TEXT, content_sha256 TEXT);
CREATE TABLE marts.ratings (inspection_id TEXT, pdu_name TEXT, standard_code TEXT, standard_name TEXT,
  domain INTEGER, rating TEXT, rating_points INTEGER, lowest_pct_yes INTEGER, band_rating TEXT,
  discretion_applied BOOLEAN);
CREATE TABLE marts.scores (inspection_id TEXT, pdu_name TEXT, standard_code TEXT, standard_name TEXT,
  question_number INTEGER, question_text TEXT, pct_yes INTEGER, is_lowest BOOLEAN, is_rated_standard BOOLEAN);
CREATE TABLE marts.recommendations (inspection_id TEXT, pdu_name TEXT, rec_number INTEGER, recipient TEXT,
  recipient_level TEXT, text TEXT);
CREATE TABLE marts.findings (inspection_id TEXT, standard_code TEXT, kind TEXT, text TEXT);
CREATE TABLE marts.pdus (pdu_name TEXT, region TEXT, inspections_count INTEGER, latest_inspection_id TEXT,
  latest_overall_rating TEXT);
"""


def band(pct: int) -> str:
    return "Inadequate" if pct < 50 else "Requires improvement" if pct < 65 else "Good" if pct < 80 else "Outstanding"


def _rows() -> dict[str, list[tuple]]:
    rows: dict[str, list[tuple]] = {t: [] for t in ("inspections", "ratings", "scores", "recommendations",
                                                    "findings", "pdus")}
    for iid, pdu, region, published, framework, overall, score, max_score, fieldwork in INSPECTIONS:
        standards = STANDARDS_2023 if framework == "pdu-2023" else STANDARDS_2024
        rows["inspections"].append((iid, pdu, region, published, fieldwork, framework, overall, score, max_score,
                                    round(100 * score / max_score, 1), len(standards), 45, 30, "Lead Inspector",
                                    "Chief Inspector", f"{iid}.txt", "text", "0" * 64))
        rows["pdus"].append((pdu, region, 1, iid, overall))
        pcts = iter(PCTS[iid])
        for (code, name, domain), rating in zip(standards, RATINGS[iid], strict=True):
            qs = next(pcts) if domain == 2 else []
            low = min(qs) if qs else None
            rows["ratings"].append((iid, pdu, code, name, domain, rating, POINTS[rating], low,
                                    band(low) if qs else None, bool(qs) and band(low) != rating))
            rows["scores"] += [(iid, pdu, code, name, n, f"Question {n} of {name} </script>", p, p == low, True)
                               for n, p in enumerate(qs, start=1)]
            rows["findings"] += [(iid, code, "strength", f"{name} strength"), (iid, code, "improvement",
                                                                                f"{name} to improve")]
        if iid in OUTCOMES:
            rows["scores"].append((iid, pdu, "2.6", "Outcomes", 1, "Outcomes question", OUTCOMES[iid], True, False))
        rows["recommendations"] += [(iid, pdu, n, f"{level} recipient", level, f"Recommendation {n} <b>&amp;</b>")
                                    for n, level in enumerate(RECOMMENDATIONS[iid], start=1)]
    return rows


def build_working_warehouse(path: Path) -> dict[str, int]:
    """Create the working warehouse at `path`; return the row count per mart table."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    try:
        con.execute(DDL)
        counts = {}
        for table, rows in _rows().items():
            marks = ", ".join("?" * len(rows[0]))
            con.executemany(f"INSERT INTO marts.{table} VALUES ({marks})", rows)
            counts[table] = len(rows)
        return counts
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
        return {t: con.execute(f"SELECT count(*) FROM marts.{t}").fetchone()[0] for t in _rows()}
    finally:
        con.close()
