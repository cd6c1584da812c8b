"""The benchmark corpus is only worth measuring if every generated file is a clean, correct report."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from bench.corpus import DEFAULT_MIX, Spec, format_cycle, plan, write_corpus
from bench.pdus import PDUS
from ingestion.model import InspectionReport
from ingestion.parse import parse_file
from ingestion.rating_scale import RATING_POINTS, band_for_pct, overall_band

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = 20
# Warnings the seeds themselves carry (conversion artefacts: lost list headings, lost numbers);
# anything else (score, bands, fieldwork month, percentages, missing facts) is a domain-rule warning.
CONVERSION_WARNINGS = ("improvements", "recommendations")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Spec, Path]]:
    specs = plan(SAMPLE)
    return list(zip(specs, write_corpus(specs, tmp_path_factory.mktemp("corpus")), strict=True))


def _percentages(report: InspectionReport) -> list[int]:
    pcts = [q.pct_yes for s in report.standards for q in s.key_questions]
    return pcts + ([report.outcomes.pct_yes] if report.outcomes else [])


def test_sample_covers_every_format(corpus: list[tuple[Spec, Path]]) -> None:
    assert {spec.fmt for spec, _ in corpus} == set(format_cycle(DEFAULT_MIX))
    assert {path.suffix for _, path in corpus} == {".txt", ".md", ".html", ".pdf"}


def test_every_file_parses_to_its_spec(corpus: list[tuple[Spec, Path]]) -> None:
    for spec, path in corpus:
        report = parse_file(path)
        got = (report.pdu, report.region, report.published, report.fieldwork_start_date, report.fieldwork_month)
        want = (spec.pdu, spec.region, spec.published, spec.fieldwork_start_date, spec.fieldwork_start_date[:7])
        assert got == want, path.name
        assert (report.score, report.max_score, report.overall_rating) == (
            spec.score,
            spec.max_score,
            spec.overall_rating,
        ), path.name
        assert {s.code: s.rating for s in report.standards} == spec.ratings, path.name
        assert _percentages(report) == spec.percentages, path.name


def test_no_domain_rule_warnings(corpus: list[tuple[Spec, Path]]) -> None:
    for _, path in corpus:
        report = parse_file(path)
        rule_warnings = [w for w in report.warnings if not w.field.endswith(CONVERSION_WARNINGS)]
        assert rule_warnings == [], path.name
        assert all(not s.discretion for s in report.standards), path.name


def test_specs_follow_the_domain_rules() -> None:
    for spec in plan(200):
        assert spec.score == sum(RATING_POINTS[r] for r in spec.ratings.values())
        assert spec.max_score == 3 * len(spec.ratings) and len(spec.ratings) in (7, 9)
        assert spec.overall_rating == overall_band(spec.score, len(spec.ratings))
        assert all(0 <= p <= 100 for p in spec.percentages)
        assert spec.fieldwork_start_date[:7] < spec.published
        assert (spec.pdu, spec.region) in PDUS


def test_supervision_ratings_are_the_band_of_the_lowest_percentage(corpus: list[tuple[Spec, Path]]) -> None:
    for _, path in corpus:
        for standard in parse_file(path).standards:
            if standard.key_questions:
                assert standard.rating == band_for_pct(min(q.pct_yes for q in standard.key_questions))


def test_inspections_never_share_pdu_and_month() -> None:
    specs = plan(1001)  # the largest benchmark size plus the "one new report" refresh
    identities = Counter((s.pdu, s.published) for s in specs)
    assert identities.most_common(1)[0][1] == 1
    assert len({s.file_name for s in specs}) == len(specs)


def test_corpora_nest() -> None:
    # The benchmark's small runs use a prefix of the large corpus: report k must not depend on n.
    assert plan(100)[:20] == plan(20)


def test_specs_json_matches_files(corpus: list[tuple[Spec, Path]]) -> None:
    folder = corpus[0][1].parent
    listed = json.loads((folder / "specs.json").read_text())
    assert [entry["file_name"] for entry in listed] == [path.name for _, path in corpus]


def test_inspections_parse_command_accepts_generated_files(corpus: list[tuple[Spec, Path]]) -> None:
    # The console script as users run it (module form: the package may not be pip-installed here).
    for spec, path in corpus[:4]:
        done = subprocess.run(
            [sys.executable, "-m", "cli.main", "parse", str(path)], capture_output=True, text=True, cwd=ROOT
        )
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["pdu"] == spec.pdu


def test_pdf_with_outstanding_ratings_parses(tmp_path: Path) -> None:
    specs = [
        s
        for s in plan(1000)
        if s.fmt == "pdf" and "Outstanding" in s.ratings.values() and "Requires improvement" not in s.ratings.values()
    ]
    for spec, path in zip(specs, write_corpus(specs, tmp_path), strict=True):
        report = parse_file(path)
        assert {s.code: s.rating for s in report.standards} == spec.ratings, path.name
