"""The gate a parse passes before it is published, and the warnings it leaves on the record.

One function, `quarantine_reason`, gives the reason `inspections parse` prints and the loader writes
to the quarantine. Its checks (`CHECKS`, each named so a test can switch it off) are of three kinds:
*misread* values (a rating that is not a word of the scale, a standard name or key question filed
under the wrong code, a region that is not one of the twelve: ingestion/parse/meaning.py); rule
*breaks* (a percentage outside 0-100, more than 10 standards, a score that is not the sum of the
points, a maximum that is not 3 x the standards); and *completeness* problems (a standard, a
key-question percentage, the score or a recommendation number missing). Any of them keeps the file in
quarantine: never published half-read or wrong, never holding back the other reports.

*Disagreements* (overall rating vs score band, fieldwork month vs start date, missing optional
fields, a PDU outside the directory) are kept as warnings only: the printed values are the truth.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ingestion.document import FieldMessage
from ingestion.model import InspectionReport
from ingestion.parse import meaning
from ingestion.parse.domain import MAX_STANDARDS
from ingestion.rating_scale import RATING_POINTS, overall_band
from ingestion.reference import is_known_pdu

# Rated standards of each known framework -> number of key questions with a percentage (0: not
# rated from key questions). The same facts as the dbt seed `framework_standards.csv` (a test keeps
# them equal); the unrated 2.6 Outcomes question is optional and not listed.
FRAMEWORK_STANDARDS: dict[str, dict[str, int]] = {
    "pdu-2023": {"1.1": 0, "1.2": 0, "1.3": 0, "1.4": 0, "2.1": 1, "2.2": 3, "2.3": 3, "2.4": 3, "2.5": 3},
    "pdu-2024": {"1.1": 0, "1.2": 0, "1.3": 0, "2.1": 3, "2.2": 3, "2.3": 3, "2.4": 3},
}


def _range_breaks(report: InspectionReport) -> list[FieldMessage]:
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
    return breaks


def _score_breaks(report: InspectionReport) -> list[FieldMessage]:
    breaks: list[FieldMessage] = []
    n = len(report.standards)
    # A rating that is not a word of the scale has no points: the rating check names it instead.
    if report.score is not None and all(s.rating in RATING_POINTS for s in report.standards):
        points = sum(RATING_POINTS[s.rating] for s in report.standards)
        if report.score != points:
            breaks.append(
                ("score", f"printed score {report.score} differs from the sum of the ratings' points ({points})")
            )
    if report.max_score is not None and report.max_score != 3 * n:
        breaks.append(
            ("max_score", f"printed maximum {report.max_score} differs from 3 x {n} rated standards ({3 * n})")
        )
    return breaks


def rule_breaks(report: InspectionReport) -> list[FieldMessage]:
    return [*_range_breaks(report), *_score_breaks(report)]


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


def _expected(report: InspectionReport) -> dict[str, int] | None:
    return FRAMEWORK_STANDARDS.get(report.framework)


def _standards_problems(report: InspectionReport) -> list[FieldMessage]:
    expected = _expected(report)
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
    return problems


def _question_counts(report: InspectionReport) -> list[FieldMessage]:
    expected = _expected(report) or {}
    problems: list[FieldMessage] = []
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


def _score_read(report: InspectionReport) -> list[FieldMessage]:
    if report.score is None or report.max_score is None:
        return [("score", "score or maximum not read from the ratings table")]
    return []


def _recommendation_problems(report: InspectionReport) -> list[FieldMessage]:
    numbers = [r.number for r in report.recommendations]
    if not numbers:
        return [("recommendations", "no recommendations read")]
    if numbers != list(range(1, len(numbers) + 1)):
        return [("recommendations", f"recommendation numbers {numbers} do not run 1..{len(numbers)}")]
    return []


Check = Callable[[InspectionReport], list[FieldMessage]]


@dataclass(frozen=True)
class GateCheck:
    name: str
    kind: str  # the reason's prefix: what kind of problem it found
    check: Check


MISREAD, RULE_BREAK, INCOMPLETE = "misread", "breaks a domain rule", "incomplete parse"

# The gate, in the order its reasons are given. Each check has a name so a test can switch it off
# and see the damage it guards against get through (tests/parse/test_gate_mutations.py).
CHECKS: tuple[GateCheck, ...] = (
    GateCheck("rating_words", MISREAD, meaning.rating_words),
    GateCheck("standard_names", MISREAD, meaning.names_match_codes),
    GateCheck("question_themes", MISREAD, meaning.question_themes),
    GateCheck("whole_questions", MISREAD, meaning.whole_questions),
    GateCheck("region", MISREAD, meaning.region_known),
    GateCheck("ranges", RULE_BREAK, _range_breaks),
    GateCheck("score", RULE_BREAK, _score_breaks),
    GateCheck("standards", INCOMPLETE, _standards_problems),
    GateCheck("question_counts", INCOMPLETE, _question_counts),
    GateCheck("score_read", INCOMPLETE, _score_read),
    GateCheck("recommendations", INCOMPLETE, _recommendation_problems),
)
CHECK_NAMES = frozenset(c.name for c in CHECKS)


def failed_checks(report: InspectionReport, skip: frozenset[str] = frozenset()) -> dict[str, list[FieldMessage]]:
    """Name -> problems of every gate check this parse fails (`skip`: checks switched off)."""
    unknown = skip - CHECK_NAMES
    if unknown:
        raise ValueError(f"no gate check named {', '.join(sorted(unknown))}")
    return {c.name: found for c in CHECKS if c.name not in skip and (found := c.check(report))}


def completeness_problems(report: InspectionReport) -> list[FieldMessage]:
    """What a complete parse has and this one lacks; empty when the report was read completely."""
    return [p for c in CHECKS if c.kind == INCOMPLETE for p in c.check(report)]


def quarantine_reason(report: InspectionReport, skip: frozenset[str] = frozenset()) -> str | None:
    """Why this parse must not be published, or None: the one reason `inspections parse` and the loader give.

    Misread values (a misspelt rating, a misfiled key question, a cut region) come first, as they name
    the word or value that broke; then numbers that contradict each other (they would fail the blocking
    mart checks and hold back every other report's publish); then what a complete parse lacks.
    """
    failed = failed_checks(report, skip)
    parts: list[str] = []
    for kind in (MISREAD, RULE_BREAK, INCOMPLETE):
        found = [p for c in CHECKS if c.kind == kind for p in failed.get(c.name, [])]
        if not found:
            continue
        if kind == RULE_BREAK:
            parts.append(f"{kind}: " + "; ".join(f"{field}: {message}" for field, message in found))
        else:
            parts.append(f"{kind}: " + "; ".join(message for _, message in found))
    return "; ".join(parts) or None


def _unknown_pdu(report: InspectionReport) -> list[FieldMessage]:
    # New PDUs appear (mergers, renames): a warning for the directory's keepers, never a quarantine.
    if report.pdu and not is_known_pdu(report.pdu):
        return [("pdu", f"PDU '{report.pdu}' is not in the PDU directory or its aliases")]
    return []


def add_rule_warnings(report: InspectionReport) -> None:
    failed = [p for found in failed_checks(report).values() for p in found]
    findings = [*failed, *_disagreements(report), *_unknown_pdu(report)]
    for field, message in dict.fromkeys(findings):  # one warning per finding, in order
        report.warn(field, message)
