"""Checks that a parse *means* what a report says, beyond having every part.

A count can pass while the content is misfiled: a two-column PDF read across its columns files one
standard's key questions under another, cuts a region to its first word, or a misspelt rating word
loses a standard. Each check here compares a value with what the domain says it must be: the words
of the rating scale, the twelve regions, the standard each framework code is, and the theme every
key question of a standard asks about (Assessment, Planning, Implementation and delivery,
Reviewing, Court work: the same in the 2023 and 2024 frameworks, and in earlier ones).
"""

from __future__ import annotations

import re

from ingestion.document import FieldMessage
from ingestion.model import InspectionReport
from ingestion.rating_scale import RATINGS
from ingestion.reference import regions, standard_keys, standard_names

# The theme word each key question of a case-supervision standard asks about, by standard key
# (HMI words them "Does assessment focus ...", "Is the sentence ... implemented ...", "... to the court").
QUESTION_THEMES: dict[str, re.Pattern[str]] = {
    "court_work": re.compile(r"\bcourts?\b|\bpre-sentence\b|\bsentencing\b", re.IGNORECASE),
    "assessment": re.compile(r"\bassess", re.IGNORECASE),
    "planning": re.compile(r"\bplan", re.IGNORECASE),
    "implementation_and_delivery": re.compile(r"\bimplement|\bdeliver", re.IGNORECASE),
    "reviewing": re.compile(r"\breview", re.IGNORECASE),
}


def rating_words(report: InspectionReport) -> list[FieldMessage]:
    """Every rating is an exact word of the scale; a misspelt one is named."""
    found: list[FieldMessage] = []
    if report.overall_rating not in RATINGS:
        found.append(("overall_rating", f"overall rating: '{report.overall_rating}' is not a rating"))
    for standard in report.standards:
        if standard.rating not in RATINGS:
            found.append(
                (f"standards.{standard.code}.rating", f"standard {standard.code}: '{standard.rating}' is not a rating")
            )
    return found


def region_known(report: InspectionReport) -> list[FieldMessage]:
    """A region read is one of the twelve (a missing one is only a warning: nothing wrong is published)."""
    if report.region is not None and report.region not in regions():
        return [("region", f"region '{report.region}' is not one of the {len(regions())} probation regions")]
    return []


def _theme(text: str) -> str | None:
    """The theme whose word comes first in a question ("Does assessment focus ... planning" is assessment)."""
    hits = [(m.start(), key) for key, pattern in QUESTION_THEMES.items() if (m := pattern.search(text))]
    return min(hits)[1] if hits else None


def question_themes(report: InspectionReport) -> list[FieldMessage]:
    """Each key question asks about the standard it is filed under."""
    found: list[FieldMessage] = []
    for standard in report.standards:
        key = standard_keys().get((report.framework, standard.code))
        if key not in QUESTION_THEMES:
            continue  # unknown framework (reported elsewhere) or a standard rated without key questions
        label = standard_names()[(report.framework, standard.code)]
        for q in standard.key_questions:
            theme = _theme(q.text)
            if theme != key:
                what = f"asks about {standard_names_by_key().get(theme, theme)}" if theme else "names no theme"
                found.append(
                    (
                        f"standards.{standard.code}.key_questions.{q.number}",
                        f"standard {standard.code} ({label}): key question {q.number} '{_short(q.text)}' {what}",
                    )
                )
    return found


def whole_questions(report: InspectionReport) -> list[FieldMessage]:
    """Key questions (and the outcomes question) are read whole: each ends with its question mark."""
    found: list[FieldMessage] = []
    for standard in report.standards:
        for q in standard.key_questions:
            if not q.text.rstrip().endswith("?"):
                found.append(
                    (
                        f"standards.{standard.code}.key_questions.{q.number}",
                        f"standard {standard.code}: key question {q.number} '{_short(q.text)}' is cut short",
                    )
                )
    if report.outcomes and not report.outcomes.text.rstrip().endswith("?"):
        found.append(("outcomes.text", f"outcomes question '{_short(report.outcomes.text)}' is cut short"))
    return found


def standard_names_by_key() -> dict[str, str]:
    return {standard_keys()[fc]: name for fc, name in standard_names().items() if fc in standard_keys()}


def names_match_codes(report: InspectionReport) -> list[FieldMessage]:
    """The name read beside a code is that code's standard in the framework ("2.2 Planning" is misfiled)."""
    found: list[FieldMessage] = []
    for standard in report.standards:
        expected = standard_names().get((report.framework, standard.code))
        if expected is None:
            continue
        # Letters only, so converters that glue or split words ("Implementationand delivery") still match;
        # words out of order or from another row do not.
        if _letters(expected) != _letters(standard.name):
            found.append(
                (f"standards.{standard.code}.name", f"standard {standard.code}: '{standard.name}' is not {expected}")
            )
    return found


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower().replace("&", "and"))


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
