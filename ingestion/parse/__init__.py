"""Document -> InspectionReport. Reads only the layout-neutral Document, never a file format."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ingestion.document import Block, Document
from ingestion.errors import NotAReportError
from ingestion.extract import extract_document, read_within_limit
from ingestion.extract.limits import FileLimits
from ingestion.model import InspectionReport, KeyQuestion, Outcomes, Standard
from ingestion.parse.background import read_background
from ingestion.parse.cover import parse_cover
from ingestion.parse.domain import framework_for
from ingestion.parse.findings import read_findings
from ingestion.parse.ratings_table import RatedStandard, parse_ratings_table
from ingestion.parse.recommendations import read_recommendations
from ingestion.parse.sections import Section, locate_outcomes, locate_sections, read_questions
from ingestion.parse.validate import add_rule_warnings
from ingestion.rating_scale import RATINGS, band_for_pct

__all__ = ["parse_document", "parse_file", "parse_bytes"]


def _standard(rated: RatedStandard, section: Section | None, report_warnings: list[tuple[str, str]]) -> Standard:
    fields = {"code": rated.code, "name": rated.name, "domain": rated.domain, "rating": rated.rating}
    # A rating word outside the scale is kept as read (unvalidated) so the gate can name it; such a
    # report is never published (ingestion/parse/validate.py).
    standard = Standard(**fields) if rated.rating in RATINGS else Standard.model_construct(**fields)
    if section is None:
        report_warnings.append(
            (f"standards.{rated.code}", "section not found in the body: no key questions or findings")
        )
        return standard
    questions = read_questions(section.blocks)
    standard.key_questions = [KeyQuestion(number=i, text=q.text, pct_yes=q.pct_yes) for i, q in enumerate(questions, 1)]
    if questions:
        standard.band_rating = band_for_pct(min(q.pct_yes for q in questions))
        standard.discretion = standard.band_rating != standard.rating
    elif rated.domain >= 2:
        report_warnings.append(
            (f"standards.{rated.code}.key_questions", "case-supervision standard without key questions")
        )
    findings = read_findings(section.blocks)
    standard.strengths, standard.improvements = findings.strengths, findings.improvements
    if findings.ambiguous_groups:
        report_warnings.append(
            (
                f"standards.{rated.code}.improvements",
                "several bullet lists without an 'Areas for improvement' heading: the first is taken as strengths",
            )
        )
    return standard


def _outcomes(blocks: list[Block], body_start: int) -> Outcomes | None:
    section = locate_outcomes(blocks, body_start)
    if section is None:
        return None
    questions = read_questions(section.blocks)
    if not questions:
        return None
    return Outcomes(code=section.code, text=questions[0].text, pct_yes=questions[0].pct_yes)


def parse_document(document: Document) -> InspectionReport:
    """Parse a Document; raises NotAReportError with a one-line reason when it is not a PDU report."""
    blocks = document.blocks  # typography already made plain by extract_document
    if not blocks:
        raise NotAReportError("no text found in the file")
    cover = parse_cover(blocks)
    table = parse_ratings_table(blocks)
    background = read_background(blocks)
    recommendations = read_recommendations(blocks, cover.pdu)
    body_start = table.body_start
    sections = locate_sections(blocks, table.standards, table.domain_names, body_start)
    notes: list[tuple[str, str]] = []
    standards = [_standard(rated, sections.get(rated.code), notes) for rated in table.standards]
    report = InspectionReport(
        pdu=cover.pdu,
        region=cover.region,
        published=cover.published,
        fieldwork_month=table.fieldwork_month,
        fieldwork_start_date=background.fieldwork_start_date,
        overall_rating=table.overall_rating,
        score=table.score,
        max_score=table.max_score,
        cases_inspected=background.cases_inspected,
        interviews=background.interviews,
        lead_inspector=cover.lead_inspector,
        chief_inspector=cover.chief_inspector,
        isbn=cover.isbn,
        framework=framework_for([(s.code, s.name) for s in table.standards], table.prefixed_codes),
        standards=standards,
        outcomes=_outcomes(blocks, body_start),
        recommendations=recommendations.items,
        source_format=document.source_format,
    )
    if report.framework == "unknown":
        report.warn("framework", f"{len(standards)} rated standards match neither the 2023 nor the 2024 framework")
    for field, message in notes:
        report.warn(field, message)
    for note in recommendations.notes:
        report.warn("recommendations", note)
    for field, message in document.warnings:
        report.warn(field, message)
    add_rule_warnings(report)
    return report


def parse_bytes(path: Path, data: bytes, limits: FileLimits | None = None) -> InspectionReport:
    """Extract and parse one file's bytes; records the file's name, format and content hash.

    `limits`: the per-file limits to hold it to (default: those in the environment now).
    """
    report = parse_document(extract_document(path, data, limits))
    report.source_file = path.name
    report.content_sha256 = hashlib.sha256(data).hexdigest()
    return report


def parse_file(path: Path) -> InspectionReport:
    path = Path(path)
    try:
        data = read_within_limit(path)  # an over-size file is refused before it is read
    except OSError as error:
        raise NotAReportError(f"cannot read file: {error.strerror or error}") from error
    return parse_bytes(path, data)
