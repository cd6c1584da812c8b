"""Field-by-field comparison of a PDF's parse with its text version's: the producer matrix.

.venv/bin/python -m tests.extract.pdf_matrix     # prints the producer x report table (docs/pdf-extraction.md)
"""

from __future__ import annotations

import sys
from pathlib import Path

from ingestion.errors import ReportError
from ingestion.model import InspectionReport
from ingestion.parse import parse_file
from tests.extract.builders import SEED_DIR
from tests.extract.pdf_producers import FIXTURES, PRODUCERS

# Where the record came from, and the parser's notes on how it read the file, differ by format by design.
NOT_COMPARED = {"source_file", "source_format", "content_sha256", "warnings"}


def flatten(value: object, prefix: str = "") -> dict[str, object]:
    """{"standards.2.2.key_questions.3.pct_yes": 33, ...}: one entry per leaf field; lists keyed by code or number."""
    if isinstance(value, dict):
        out: dict[str, object] = {}
        for key, item in value.items():
            out |= flatten(item, f"{prefix}{key}.")
        return out
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        out = {}
        for i, item in enumerate(value, 1):
            key = item.get("code") or item.get("number") or i
            out |= flatten(item, f"{prefix}{key}.")
        out[f"{prefix}count"] = len(value)
        return out
    return {prefix.rstrip("."): value}


def fields(report: InspectionReport) -> dict[str, object]:
    return flatten(report.model_dump(exclude=NOT_COMPARED))


def text_version(report_name: str) -> Path:
    sample = SEED_DIR / f"{report_name}.txt"
    return sample if sample.exists() else FIXTURES / "text" / f"{report_name}.txt"


def report_names() -> list[str]:
    return sorted(p.stem for p in (FIXTURES / "reportlab").glob("*.pdf"))


def differences(producer: str, report_name: str) -> tuple[dict[str, tuple[object, object]], dict[str, object]]:
    """(field -> (expected, got)) for every field that differs, and the text version's fields.

    A PDF that does not parse at all differs in every field (and in an extra "error" one).
    """
    expected = fields(parse_file(text_version(report_name)))
    try:
        got = fields(parse_file(FIXTURES / producer / f"{report_name}.pdf"))
    except ReportError as error:
        return {"error": (None, error.reason)} | {k: (v, None) for k, v in expected.items()}, expected
    keys = expected.keys() | got.keys()
    diff = {k: (expected.get(k), got.get(k)) for k in sorted(keys) if expected.get(k) != got.get(k)}
    return diff, expected


def matrix_table() -> str:
    """Markdown table: producer x report -> fields equal / fields compared."""
    names = report_names()
    lines = ["| producer | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    for producer in PRODUCERS:
        cells = []
        for name in names:
            diff, expected = differences(producer, name)
            cells.append(f"{sum(field not in diff for field in expected)} / {len(expected)}")
        lines.append(f"| {producer} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    if "-v" in sys.argv:
        for producer in PRODUCERS:
            for name in report_names():
                diff, expected = differences(producer, name)
                print(f"== {producer} {name}: {len(diff)} differ of {len(expected)}")
                for key, (want, got) in list(diff.items())[:12]:
                    print(f"   {key}: want {str(want)[:70]!r} got {str(got)[:70]!r}")
    print(matrix_table())
