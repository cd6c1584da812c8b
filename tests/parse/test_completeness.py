"""The completeness gate: a report read only in part is named incomplete, with what is missing."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from ingestion.parse import parse_file
from ingestion.parse.validate import FRAMEWORK_STANDARDS, completeness_problems, quarantine_reason
from tests.conftest import ROOT, SAMPLE_FILES
from tests.parse.incomplete import incomplete_pdf
from tests.parse.variants import replace_once

DORSET = SAMPLE_FILES["dorset"].read_text(encoding="utf-8")


def _parse(tmp_path: Path, text: str):  # noqa: ANN202 - an InspectionReport
    path = tmp_path / "variant.txt"
    path.write_text(text, encoding="utf-8")
    return parse_file(path)


@pytest.mark.parametrize("name", sorted(SAMPLE_FILES))
def test_sample_reports_are_complete(name: str) -> None:
    report = parse_file(SAMPLE_FILES[name])
    assert completeness_problems(report) == []
    assert quarantine_reason(report) is None


def test_framework_table_matches_the_dbt_seed() -> None:
    seed: dict[str, dict[str, int]] = {}
    with (ROOT / "dbt_project" / "seeds" / "framework_standards.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["is_rated"] == "true":
                seed.setdefault(row["framework"], {})[row["standard_code"]] = int(row["n_key_questions"])
    assert seed == FRAMEWORK_STANDARDS


# Each variant loses one thing a complete parse has; the message must name it.
BROKEN = {
    "lost percentage": (
        ("Does assessment focus sufficiently on keeping other people safe?\t33%", ""),
        "standard 2.2: 2 of 3 key-question percentages",
    ),
    "lost standard": (("2.5\tReviewing\tInadequate\t\n", ""), "standard(s) 2.5 not read"),
    "lost score": (("Score\t\t3/27", "Score\t\t"), "score or maximum not read"),
    "repeated number": (("- 4. ensure information", "- 3. ensure information"), "do not run 1.."),
    "no recommendations": (
        ("\nRecommendations\n\nAs a result", "\nSuggestions\n\nAs a result"),
        "no recommendations read",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_each_missing_part_is_named(tmp_path: Path, case: str) -> None:
    (old, new), expected = BROKEN[case]
    report = _parse(tmp_path, replace_once(DORSET, old, new))
    messages = [message for _, message in completeness_problems(report)]
    assert any(expected in m for m in messages), messages
    assert expected in " ".join(w.message for w in report.warnings)
    assert quarantine_reason(report) is not None


def test_a_framework_of_unknown_shape_is_incomplete(tmp_path: Path) -> None:
    # Eight standards, the first case-supervision one neither court work nor assessment: no framework.
    text = replace_once(DORSET, "1.4\tInformation and facilities\tRequires improvement\t\n", "")
    text = replace_once(text, "2.1\tCourt work\t", "2.1\tSentencing advice\t")
    messages = [m for _, m in completeness_problems(_parse(tmp_path, text))]
    assert any("match no known framework" in m for m in messages), messages


def test_quarantine_reason_names_the_gap(tmp_path: Path) -> None:
    old = "Does planning focus sufficiently on keeping other people safe?\t33%"
    reason = quarantine_reason(_parse(tmp_path, replace_once(DORSET, old, "")))
    assert reason == "incomplete parse: standard 2.3: 2 of 3 key-question percentages"


def _cli(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli.main", "parse", str(path)], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def test_cli_exits_3_and_still_prints_what_it_read(tmp_path: Path) -> None:
    path = tmp_path / "incomplete.txt"
    path.write_text(replace_once(DORSET, "Does planning focus sufficiently on keeping other people safe?\t33%", ""))
    result = _cli(path)
    assert result.returncode == 3
    assert '"pdu": "Dorset"' in result.stdout and "2 of 3 key-question percentages" in result.stdout
    assert "read but not publishable: incomplete parse: standard 2.3: 2 of 3 key-question percentages" in result.stderr


def test_cli_exits_3_for_a_pdf_read_in_part(tmp_path: Path) -> None:
    path = tmp_path / "incomplete.pdf"
    path.write_bytes(incomplete_pdf())
    result = _cli(path)
    assert result.returncode == 3
    assert "read but not publishable: incomplete parse: standard 2.3: 2 of 3 key-question percentages" in result.stderr
