"""Domain-rule checks on a parsed report: disagreements become warnings, values are never 'fixed'.

Two kinds: rule *breaks* (a percentage outside 0-100, more than 10 standards, a score that is not
the sum of the points, a maximum that is not 3 x the standards) make the numbers contradict each
other; the pipeline quarantines such a report rather than let one file block every publish.
*Disagreements* (overall rating vs score band, fieldwork month vs start date, missing fields) are
kept as warnings only: the printed values are the truth.

A third kind, *completeness* problems, says a file was read only in part (a standard, a key-question
percentage, the score or a recommendation number is missing): such a parse is never published
half-read; the loader quarantines that file with the problems as its reason.
"""

from __future__ import annotations

from ingestion.document import FieldMessage
from ingestion.model import InspectionReport
from ingestion.parse.domain import MAX_STANDARDS
from ingestion.rating_scale import RATING_POINTS, overall_band

# Rated standards of each known framework -> number of key questions with a percentage (0: not
# rated from key questions). The same facts as the dbt seed `framework_standards.csv` (a test keeps
# them equal); the unrated 2.6 Outcomes question is optional and not listed.
FRAMEWORK_STANDARDS: dict[str, dict[str, int]] = {
    "pdu-2023": {"1.1": 0, "1.2": 0, "1.3": 0, "1.4": 0, "2.1": 1, "2.2": 3, "2.3": 3, "2.4": 3, "2.5": 3},
    "pdu-2024": {"1.1": 0, "1.2": 0, "1.3": 0, "2.1": 3, "2.2": 3, "2.3": 3, "2.4": 3},
}


def rule_breaks(report: InspectionReport) -> list[FieldMessage]:
    breaks: list[FieldMessage] = []
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


def _disagreements(report: InspectionReport) -> list[FieldMessage]:
    found: list[FieldMessage] = []
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


def _standards_problems(report: InspectionReport) -> list[FieldMessage]:
    expected = FRAMEWORK_STANDARDS.get(report.framework)
    codes = [s.code for s in report.standards]
    if expected is None:
        listed = ", ".join(codes) or "none"
        return [("framework", f"rated standards ({listed}) match no known framework (2023: 9, 2024: 7)")]
    problems: list[FieldMessage] = []
    missing = [code for code in expected if code not in codes]
    extra = sorted({code for code in codes if code not in expected or codes.count(code) > 1})
    if missing:
        problems.append(("framework", f"{report.framework}: standard(s) {', '.join(missing)} not read"))
    if extra:
        problems.append(("framework", f"{report.framework}: unexpected or repeated standard(s) {', '.join(extra)}"))
    for standard in report.standards:
        wanted = expected.get(standard.code, 0)
        read = sum(q.pct_yes is not None for q in standard.key_questions)
        if wanted and read != wanted:
            problems.append(
                (
                    f"standards.{standard.code}.key_questions",
                    f"standard {standard.code}: {read} of {wanted} key-question percentages",
                )
            )
    return problems


def _recommendation_problems(report: InspectionReport) -> list[FieldMessage]:
    numbers = [r.number for r in report.recommendations]
    if not numbers:
        return [("recommendations", "no recommendations read")]
    if numbers != list(range(1, len(numbers) + 1)):
        return [("recommendations", f"recommendation numbers {numbers} do not run 1..{len(numbers)}")]
    return []


def completeness_problems(report: InspectionReport) -> list[FieldMessage]:
    """What a complete parse has and this one lacks; empty when the report was read completely."""
    problems = _standards_problems(report)
    if report.score is None or report.max_score is None:
        problems.append(("score", "score or maximum not read from the ratings table"))
    problems.extend(_recommendation_problems(report))
    return problems


def quarantine_reason(report: InspectionReport) -> str | None:
    """Why the loader must not publish this parse (contradicting or missing numbers), or None."""
    if breaks := rule_breaks(report):
        # Numbers that contradict each other would fail the blocking mart checks and hold back every
        # other report's publish: this file waits in quarantine instead, with the reason.
        return "breaks a domain rule: " + "; ".join(f"{field}: {message}" for field, message in breaks)
    if problems := completeness_problems(report):
        return "incomplete parse: " + "; ".join(message for _, message in problems)
    return None


def add_rule_warnings(report: InspectionReport) -> None:
    findings = [*rule_breaks(report), *_disagreements(report), *completeness_problems(report)]
    for field, message in dict.fromkeys(findings):  # one warning per finding, in order
        report.warn(field, message)
