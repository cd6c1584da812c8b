"""Domain-rule checks on a parsed report: disagreements become warnings, values are never 'fixed'."""

from __future__ import annotations

from ingestion.model import InspectionReport
from ingestion.parse.domain import MAX_STANDARDS, RATING_POINTS, overall_band


def add_rule_warnings(report: InspectionReport) -> None:
    n = len(report.standards)
    if n > MAX_STANDARDS:
        report.warn("standards", f"{n} rated standards: a PDU report has at most {MAX_STANDARDS}")
    for standard in report.standards:
        for question in standard.key_questions:
            if question.pct_yes is not None and not 0 <= question.pct_yes <= 100:
                report.warn(
                    f"standards.{standard.code}.key_questions.{question.number}",
                    f"percentage {question.pct_yes}% is outside 0-100",
                )
    if report.outcomes and not 0 <= report.outcomes.pct_yes <= 100:
        report.warn("outcomes.pct_yes", f"percentage {report.outcomes.pct_yes}% is outside 0-100")
    points = sum(RATING_POINTS[s.rating] for s in report.standards)
    if report.score is None:
        report.warn("score", "score not found in the ratings table")
    elif report.score != points:
        report.warn("score", f"printed score {report.score} differs from the sum of the ratings' points ({points})")
    if report.max_score is not None and report.max_score != 3 * n:
        report.warn("max_score", f"printed maximum {report.max_score} differs from 3 x {n} rated standards ({3 * n})")
    if report.score is not None and n:
        implied = overall_band(report.score, n)
        if implied != report.overall_rating:
            report.warn(
                "overall_rating",
                f"published '{report.overall_rating}' differs from the score band '{implied}' for {report.score}/{3 * n}",
            )
    start, month = report.fieldwork_start_date, report.fieldwork_month
    if start and month and not start.startswith(month):
        report.warn("fieldwork_month", f"ratings table says fieldwork started {month}, background says {start}")
    for name in ("lead_inspector", "chief_inspector", "isbn", "region", "cases_inspected", "interviews"):
        if getattr(report, name) is None:
            report.warn(name, "not found in the report")
