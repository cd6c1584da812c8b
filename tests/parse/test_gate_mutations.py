"""Mutation test of the gate: damage complete parses of every fixture and see the gate reject each kind.

Each mutation names the gate checks that guard against it. For every complete parse (text samples,
the generated variant's text, every PDF of the producer matrix) the test sees exactly those checks
fail, and sees the damaged record pass once those checks are switched off: so every check can fail,
and no mutation is caught only by accident.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from ingestion.model import InspectionReport
from ingestion.parse import parse_file
from ingestion.parse.validate import CHECK_NAMES, failed_checks, quarantine_reason
from tests.conftest import SAMPLE_FILES
from tests.extract.pdf_producers import FIXTURES
from tests.extract.test_producer_matrix import KNOWN_FAILURES

# Complete parses only: the PDFs of the matrix known not to be read field for field are left out.
FIXTURE_FILES = sorted(
    [
        *SAMPLE_FILES.values(),
        *(FIXTURES / "text").glob("*.txt"),
        *(p for p in FIXTURES.glob("*/*.pdf") if (p.parent.name, p.stem) not in KNOWN_FAILURES),
    ],
    key=lambda p: (p.suffix, p.parent.name, p.name),
)


@cache
def _complete(path: Path) -> InspectionReport:
    report = parse_file(path)
    assert quarantine_reason(report) is None, f"{path}: fixture not complete: {quarantine_reason(report)}"
    return report


Mutation = Callable[[InspectionReport], None]


def _rated(report: InspectionReport, with_questions: bool = True) -> list:  # noqa: ANN401 - standards
    return [s for s in report.standards if bool(s.key_questions) == with_questions]


def swap_question_lists(report: InspectionReport) -> None:
    a, b = [s for s in _rated(report) if len(s.key_questions) == 3][:2]
    a.key_questions, b.key_questions = b.key_questions, a.key_questions


def move_percentage(report: InspectionReport) -> None:
    # A percentage filed under the wrong question: the question it left has none.
    a, b = _rated(report)[-2:]
    b.key_questions[0].pct_yes = a.key_questions[0].pct_yes
    a.key_questions[0].pct_yes = None


def cut_region(report: InspectionReport) -> None:
    assert report.region
    report.region = report.region.split()[0]  # "Yorkshire and the Humber" -> "Yorkshire"


def misspell_rating(report: InspectionReport) -> None:
    standard = report.standards[-1]
    standard.rating = standard.rating.replace("a", "", 1) if "a" in standard.rating else standard.rating[:-1]


def misspell_overall_rating(report: InspectionReport) -> None:
    report.overall_rating = report.overall_rating[:-2]


def drop_ratings_row(report: InspectionReport) -> None:
    report.standards.pop(1)


def drop_key_question_row(report: InspectionReport) -> None:
    standard = _rated(report)[-1]
    standard.key_questions.pop()


def duplicate_recommendation_number(report: InspectionReport) -> None:
    report.recommendations[2].number = report.recommendations[1].number


def skip_recommendation_number(report: InspectionReport) -> None:
    for rec in report.recommendations[3:]:
        rec.number += 1


def move_rating_to_neighbour(report: InspectionReport) -> None:
    # A standard takes its neighbour's rating (a rating cell read one row off).
    pairs = zip(report.standards, report.standards[1:], strict=False)
    a, b = next((a, b) for a, b in pairs if a.rating != b.rating)
    a.rating = b.rating


def swap_standard_names(report: InspectionReport) -> None:
    a, b = report.standards[0], report.standards[-1]
    a.name, b.name = b.name, a.name


def truncate_question_text(report: InspectionReport) -> None:
    question = _rated(report)[0].key_questions[0]
    question.text = question.text.split()[0]  # "Does assessment focus ..." -> "Does"


def cut_outcomes_question(report: InspectionReport) -> None:
    # A table row split by a column break: the question's first line only. Reports without an
    # outcomes percentage (2024 framework) lose the end of a key question instead.
    if report.outcomes:
        report.outcomes.text = report.outcomes.text.rsplit(" ", 3)[0]
    else:
        question = _rated(report)[-1].key_questions[1]
        question.text = question.text.rsplit(" ", 1)[0] + " assessment"  # keeps its theme word


def percentage_out_of_range(report: InspectionReport) -> None:
    question = _rated(report)[0].key_questions[-1]
    question.pct_yes = (question.pct_yes or 0) * 10 + 100  # "33%" read with a footnote digit glued on


def lose_score(report: InspectionReport) -> None:
    report.score = None


# mutation -> the gate checks that must reject it
MUTATIONS: dict[str, tuple[Mutation, frozenset[str]]] = {
    "swap two standards' key-question lists": (swap_question_lists, frozenset({"question_themes"})),
    "move a percentage to another question": (move_percentage, frozenset({"question_counts"})),
    "cut the region": (cut_region, frozenset({"region"})),
    "misspell a standard's rating": (misspell_rating, frozenset({"rating_words"})),
    "misspell the overall rating": (misspell_overall_rating, frozenset({"rating_words"})),
    "drop a ratings-table row": (drop_ratings_row, frozenset({"standards", "score"})),
    "drop a key-question row": (drop_key_question_row, frozenset({"question_counts"})),
    "duplicate a recommendation number": (duplicate_recommendation_number, frozenset({"recommendations"})),
    "skip a recommendation number": (skip_recommendation_number, frozenset({"recommendations"})),
    "move a standard's rating to its neighbour": (move_rating_to_neighbour, frozenset({"score"})),
    "swap two standards' names": (swap_standard_names, frozenset({"standard_names"})),
    "truncate a key question's text": (truncate_question_text, frozenset({"question_themes", "whole_questions"})),
    "cut the outcomes question short": (cut_outcomes_question, frozenset({"whole_questions"})),
    "percentage out of range": (percentage_out_of_range, frozenset({"ranges"})),
    "lose the score": (lose_score, frozenset({"score_read"})),
}


def _damaged(path: Path, mutation: str) -> tuple[InspectionReport, frozenset[str]]:
    damage, checks = MUTATIONS[mutation]
    report = _complete(path).model_copy(deep=True)
    damage(report)
    return report, checks


def test_every_check_guards_some_mutation() -> None:
    assert len(MUTATIONS) >= 10
    assert set().union(*(checks for _, checks in MUTATIONS.values())) == CHECK_NAMES


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_complete_fixtures_pass_the_gate(path: Path) -> None:
    assert failed_checks(_complete(path)) == {}


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_gate_rejects_the_damage(path: Path, mutation: str) -> None:
    report, checks = _damaged(path, mutation)
    assert set(failed_checks(report)) == checks
    assert quarantine_reason(report) is not None


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_damage_gets_through_with_its_checks_off(path: Path, mutation: str) -> None:
    report, checks = _damaged(path, mutation)
    assert quarantine_reason(report, skip=checks) is None
