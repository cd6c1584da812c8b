"""Domain-rule checks on a parsed report: disagreements become warnings, values are never 'fixed'.

Two kinds: rule *breaks* (a percentage outside 0-100, more than 10 standards, a score that is not
the sum of the points, a maximum that is not 3 x the standards) make the numbers contradict each
other; the pipeline quarantines such a report rather than let one file block every publish.
*Disagreements* (overall rating vs score band, fieldwork month vs start date, missing fields) are
kept as warnings only: the printed values are the truth.
"""

from __future__ import annotations

from ingestion.model import InspectionReport
from ingestion.parse.domain import MAX_STANDARDS, RATING_POINTS, overall_band

Finding = tuple[str, str]  # (field, message)


def rule_breaks(report: InspectionReport) -> list[Finding]:
    breaks: list[Finding] = []
    n = len(report.standards)
    if n > MAX_STANDARDS:
        breaks.append(("standards", f"{n} rated standards: a PDU report has at most {MAX_STANDARDS}"))
    for standard in report.standards:
        for q in standard.key_questions:
            if q.pct_yes is not None and not 0 <= q.pct_yes <= 100:
                field = f"standards.{standard.code}.key_questions.{q.number}"
                breaks.append((field, f"percentage {q.pct_yes}% is outside 0-100"))
    if report.outcomes and not 0 <= report.outcomes.pct_yes <= 100:
        breaks.append(("outcomes.pct_yes", f"percentage {report.outcomes.pct_yes}% is outside 0-100"))
    points = sum(RATING_POINTS[s.rating] for s in report.standards)
    if report.score is not None and report.score != points:
        breaks.append(("score", f"printed score {report.score} differs from the sum of the ratings' points ({points})"))
    if report.max_score is not None and report.max_score != 3 * n:
        breaks.append(
            ("max_score", f"printed maximum {report.max_score} differs from 3 x {n} rated standards ({3 * n})")
        )
    return breaks


def _disagreements(report: InspectionReport) -> list[Finding]:
    found: list[Finding] = []
    n = len(report.standards)
    if report.score is None:
        found.append(("score", "score not found in the ratings table"))
    elif n and (implied := overall_band(report.score, n)) != report.overall_rating:
        found.append(
            (
                "overall_rating",
                f"published '{report.overall_rating}' differs from the score band '{implied}' for {report.score}/{3 * n}",
            )
        )
    start, month = report.fieldwork_start_date, report.fieldwork_month
    if start and month and not start.startswith(month):
        found.append(("fieldwork_month", f"ratings table says fieldwork started {month}, background says {start}"))
    for name in ("lead_inspector", "chief_inspector", "isbn", "region", "cases_inspected", "interviews"):
        if getattr(report, name) is None:
            found.append((name, "not found in the report"))
    return found


def add_rule_warnings(report: InspectionReport) -> None:
    for field, message in [*rule_breaks(report), *_disagreements(report)]:
        report.warn(field, message)
