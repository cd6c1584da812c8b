"""InspectionReport -> rows of the raw tables (column order of raw_tables.RAW_TABLES)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ingestion import PARSER_VERSION
from ingestion.load.raw_tables import column_names
from ingestion.model import InspectionReport

Row = dict[str, Any]


def _report_row(report: InspectionReport, parsed_at: datetime) -> Row:
    fields = report.model_dump(exclude={"standards", "outcomes", "recommendations", "warnings"})
    outcomes = report.outcomes
    row = {
        **fields,
        "parsed_at": parsed_at,
        "parser_version": PARSER_VERSION,
        "outcomes_text": outcomes.text if outcomes else None,
        "outcomes_pct_yes": outcomes.pct_yes if outcomes else None,
        "n_warnings": len(report.warnings),
        "report_json": report.model_dump_json(),
    }
    return {name: row.get(name) for name in column_names("reports")}


def report_rows(report: InspectionReport, parsed_at: datetime) -> dict[str, list[Row]]:
    """All rows one parsed report contributes, keyed by raw table name."""
    sha = report.content_sha256
    rows: dict[str, list[Row]] = {"reports": [_report_row(report, parsed_at)]}
    rows["standards"] = [
        {
            "content_sha256": sha,
            "position": i,
            **s.model_dump(include={"code", "name", "domain", "rating", "band_rating", "discretion"}),
        }
        for i, s in enumerate(report.standards, 1)
    ]
    rows["key_questions"] = [
        {
            "content_sha256": sha,
            "standard_code": s.code,
            "standard_name": s.name,
            "is_rated_standard": True,
            **q.model_dump(),
        }
        for s in report.standards
        for q in s.key_questions
    ]
    if report.outcomes:
        rows["key_questions"].append(
            {
                "content_sha256": sha,
                "standard_code": report.outcomes.code or "outcomes",
                "standard_name": "Outcomes",
                "is_rated_standard": False,
                "number": 1,
                "text": report.outcomes.text,
                "pct_yes": report.outcomes.pct_yes,
            }
        )
    rows["recommendations"] = [{"content_sha256": sha, **r.model_dump()} for r in report.recommendations]
    rows["findings"] = [
        {"content_sha256": sha, "standard_code": s.code, "kind": kind, "position": i, "text": text}
        for s in report.standards
        for kind, texts in (("strength", s.strengths), ("improvement", s.improvements))
        for i, text in enumerate(texts, 1)
    ]
    rows["parse_warnings"] = [{"content_sha256": sha, **w.model_dump()} for w in report.warnings]
    return rows
