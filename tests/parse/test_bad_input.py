"""Files that are not PDU reports get a specific reason; broken domain rules become warnings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ingestion.errors import ReportError
from ingestion.parse import parse_file
from tests.conftest import ROOT, SAMPLE_FILES
from tests.parse.variants import replace_once

DORSET = SAMPLE_FILES["dorset"].read_text(encoding="utf-8")


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


NOT_REPORTS = {
    "empty.txt": ("", "empty file"),
    "noise.txt": (os.urandom(4096) + b"\x00" * 10, "binary"),
    "youth.txt": (
        replace_once(
            DORSET, "An inspection of probation services in:", "An inspection of youth offending services in:"
        ),
        "youth justice",
    ),
    "regional.txt": (
        replace_once(DORSET, "**Dorset PDU** The Probation Service", "**the South West region** The Probation Service"),
        "regional inspection",
    ),
    "truncated.txt": (DORSET[: DORSET.index("Ratings\n\nDorset PDU")], "no ratings table"),
    "no-standards.txt": (
        DORSET[: DORSET.index("1.\tOrganisational delivery\t\t\n1.1")] + "\nRecommendations\n",
        "no rated standards",
    ),
    "letter.txt": ("Dear colleague,\n\nPlease find attached the minutes of the meeting.\n", "no report title"),
    "no-date.txt": (
        replace_once(DORSET, "HM Inspectorate of Probation, August 2023", "HM Inspectorate"),
        "publication month",
    ),
    "report.docx": (b"PK\x03\x04 not a supported file", "unsupported file type"),
}


@pytest.mark.parametrize("name", NOT_REPORTS)
def test_not_a_report_gets_a_specific_reason(tmp_path: Path, name: str) -> None:
    content, reason = NOT_REPORTS[name]
    with pytest.raises(ReportError) as caught:
        parse_file(_write(tmp_path, name, content))
    assert reason in caught.value.reason
    assert "\n" not in caught.value.reason


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli.main", "parse", *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def test_cli_prints_json_and_exits_0() -> None:
    result = _cli(str(SAMPLE_FILES["doncaster"]))
    assert result.returncode == 0, result.stderr
    assert '"pdu": "Doncaster"' in result.stdout and '"max_score": 21' in result.stdout


@pytest.mark.parametrize("name", ["empty.txt", "noise.txt", "truncated.txt", "youth.txt"])
def test_cli_exits_2_with_one_line_reason(tmp_path: Path, name: str) -> None:
    content, reason = NOT_REPORTS[name]
    result = _cli(str(_write(tmp_path, name, content)))
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and reason in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_output_piped_into_a_reader_that_stops_early_is_no_error() -> None:
    # `inspections parse FILE | head -1`: the reader closes the pipe after one line.
    with subprocess.Popen(
        [sys.executable, "-m", "cli.main", "parse", str(SAMPLE_FILES["dorset"])],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        bufsize=0,
    ) as process:
        process.stdout.read(1)
        process.stdout.close()
        stderr = process.stderr.read().decode()
        assert process.wait(timeout=60) == 0
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr


def test_cli_missing_file_exits_2(tmp_path: Path) -> None:
    result = _cli(str(tmp_path / "absent.txt"))
    assert result.returncode == 2 and "cannot read file" in result.stderr


def _warning_fields(text: str, tmp_path: Path) -> dict[str, str]:
    report = parse_file(_write(tmp_path, "variant.txt", text))
    return {w.field: w.message for w in report.warnings}


def test_percentage_over_100_is_a_warning_not_fixed(tmp_path: Path) -> None:
    text = replace_once(DORSET, "keeping other people safe?\t33%", "keeping other people safe?\t133%")
    report = parse_file(_write(tmp_path, "pct.txt", text))
    assessment = next(s for s in report.standards if s.code == "2.2")
    assert assessment.key_questions[2].pct_yes == 133
    assert "outside 0-100" in {w.field: w.message for w in report.warnings}["standards.2.2.key_questions.3"]


def test_score_not_sum_of_points_is_a_warning(tmp_path: Path) -> None:
    warnings = _warning_fields(replace_once(DORSET, "3/27", "5/27"), tmp_path)
    assert "sum of the ratings' points (3)" in warnings["score"]


def test_more_than_ten_standards_is_a_warning(tmp_path: Path) -> None:
    extra = "".join(f"2.{n}\tExtra standard {n}\tInadequate\t\n" for n in range(6, 8))
    text = replace_once(DORSET, "2.5\tReviewing\tInadequate\t\n", "2.5\tReviewing\tInadequate\t\n" + extra)
    warnings = _warning_fields(text, tmp_path)
    assert "11 rated standards" in warnings["standards"]
    assert "33" in warnings["max_score"]


def test_overall_rating_outside_score_band_is_a_warning(tmp_path: Path) -> None:
    text = replace_once(DORSET, "rall rating\tInadequate", "rall rating\tGood")
    report = parse_file(_write(tmp_path, "overall.txt", text))
    assert report.overall_rating == "Good"  # the printed rating is the truth
    assert "score band 'Inadequate'" in {w.field: w.message for w in report.warnings}["overall_rating"]
