"""InspectionReport: the one definition of a parsed PDU inspection report.

The JSON printed by `inspections parse`, the raw warehouse tables and the tests all
derive from these classes (see docs/contract.md for the public shape).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from ingestion.rating_scale import RATINGS

# The words of the rating_scale seed (ingestion/rating_scale.py): a value outside them fails validation.
Rating = Literal[RATINGS]  # type: ignore[valid-type]
RecipientLevel = Literal["PDU", "Region", "HMPPS", "Other"]


class KeyQuestion(BaseModel):
    number: int
    text: str
    pct_yes: int | None


class Standard(BaseModel):
    code: str  # normalised: "P 1.1" -> "1.1"
    name: str
    domain: int
    rating: Rating
    key_questions: list[KeyQuestion] = Field(default_factory=list)
    band_rating: Rating | None = None  # implied by the lowest pct_yes
    discretion: bool = False  # published rating differs from band_rating
    strengths: list[str] = Field(default_factory=list)
    improvements: list[str] = Field(default_factory=list)


class Outcomes(BaseModel):
    code: str | None = None  # e.g. "2.6" where the heading numbers it
    text: str
    pct_yes: int


class Recommendation(BaseModel):
    number: int
    recipient: str
    level: RecipientLevel
    text: str


class ParseWarning(BaseModel):
    """A disagreement or domain-rule break noticed while parsing: reported, never silently fixed."""

    field: str
    message: str


class InspectionReport(BaseModel):
    pdu: str
    region: str | None
    published: str  # YYYY-MM
    fieldwork_month: str | None = None  # YYYY-MM, from the ratings table
    fieldwork_start_date: str | None = None  # YYYY-MM-DD, from the background
    overall_rating: Rating
    score: int | None
    max_score: int | None
    cases_inspected: int | None = None
    interviews: int | None = None
    lead_inspector: str | None = None
    chief_inspector: str | None = None
    isbn: str | None = None
    framework: str  # pdu-2023 | pdu-2024 | unknown
    standards: list[Standard]
    outcomes: Outcomes | None = None
    recommendations: list[Recommendation] = Field(default_factory=list)
    warnings: list[ParseWarning] = Field(default_factory=list)
    # Where the record came from (filled by the caller that knows the file).
    source_file: str | None = None
    source_format: str | None = None
    content_sha256: str | None = None

    def warn(self, field: str, message: str) -> None:
        self.warnings.append(ParseWarning(field=field, message=message))
