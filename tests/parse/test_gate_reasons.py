"""One reason, from one function, for a file: `inspections parse` and the loader's quarantine say the same."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ingestion.extract.limits import file_limits
from ingestion.load.parse_step import parse_one
from ingestion.parse import parse_file
from ingestion.parse.validate import quarantine_reason
from tests.conftest import ROOT, SAMPLE_FILES
from tests.parse.variants import replace_once

DONCASTER = SAMPLE_FILES["doncaster"].read_text(encoding="utf-8")
DORSET = SAMPLE_FILES["dorset"].read_text(encoding="utf-8")

# (sample text, old, new, the reason both must give)
BROKEN = {
    "misspelt rating": (
        DONCASTER,
        "| P 2.4 | Reviewing | Inadequate |",
        "| P 2.4 | Reviewing | Inadequte |",
        "misread: standard 2.4: 'Inadequte' is not a rating",
    ),
    "misspelt two-word rating": (
        DORSET,
        "1.4\tInformation and facilities\tRequires improvement",
        "1.4\tInformation and facilities\tRequires improvment",
        "misread: standard 1.4: 'Requires improvment' is not a rating",
    ),
    "cut region": (
        DONCASTER,
        "Yorkshire and the Humber region",
        "Yorkshire region",
        "misread: region 'Yorkshire' is not one of the 12 probation regions",
    ),
    "question filed under another standard": (
        DORSET,
        "Does planning focus sufficiently on keeping other people safe?",
        "Does reviewing focus sufficiently on keeping other people safe?",
        "misread: standard 2.3 (Planning): key question 3 'Does reviewing focus sufficiently on keeping other people safe?' "
        "asks about Reviewing",
    ),
}


def _cli(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli.main", "parse", str(path)], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_cli_and_quarantine_give_the_same_reason(tmp_path: Path, case: str) -> None:
    text, old, new, reason = BROKEN[case]
    path = tmp_path / "report.txt"
    path.write_text(replace_once(text, old, new), encoding="utf-8")
    rows, quarantined = parse_one(path, path.name, path.read_bytes(), file_limits())
    assert rows is None and quarantined == reason
    result = _cli(path)
    assert result.returncode == 3
    assert result.stderr.strip() == f"{path}: read but not publishable: {reason}"


def test_misspelt_overall_rating_is_named(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(replace_once(DORSET, "rall rating\tInadequate", "rall rating\tInadequat"), encoding="utf-8")
    rows, quarantined = parse_one(path, path.name, path.read_bytes(), file_limits())
    assert rows is None and quarantined == "ratings table: overall rating 'Inadequat' is not a rating"
    result = _cli(path)
    assert result.returncode == 2 and quarantined in result.stderr


def test_a_new_pdu_is_a_warning_not_a_quarantine(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(DORSET.replace("Dorset", "Wessex Coast"), encoding="utf-8")
    report = parse_file(path)
    assert report.pdu == "Wessex Coast"
    assert quarantine_reason(report) is None
    assert ("pdu", "PDU 'Wessex Coast' is not in the PDU directory or its aliases") in [
        (w.field, w.message) for w in report.warnings
    ]
    assert not any(w.field == "pdu" for w in parse_file(SAMPLE_FILES["dorset"]).warnings)
