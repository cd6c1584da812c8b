"""The same report in different text layouts parses to the same record."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingestion.model import InspectionReport
from ingestion.parse import parse_file
from tests.conftest import SAMPLE_FILES
from tests.parse.variants import glue_table_cells, pipes_to_tabs, tabs_to_pipes

SOURCE_FIELDS = {"source_file", "source_format", "content_sha256"}


def _content(report: InspectionReport) -> dict:
    return report.model_dump(exclude=SOURCE_FIELDS)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", ["dorset", "portsmouth"])
def test_tab_tables_as_markdown_pipes(tmp_path: Path, name: str) -> None:
    original = SAMPLE_FILES[name].read_text(encoding="utf-8")
    converted = tabs_to_pipes(original)
    assert converted != original and "| Key question | Percentage 'Yes' |" in converted
    variant = parse_file(_write(tmp_path, "variant.md", converted))
    assert variant.source_format == "markdown"
    assert _content(variant) == _content(parse_file(SAMPLE_FILES[name]))


def test_pipe_tables_as_tabs(tmp_path: Path) -> None:
    original = SAMPLE_FILES["doncaster"].read_text(encoding="utf-8")
    converted = pipes_to_tabs(original)
    assert "|" not in converted.split("Ratings", 2)[2][:400]
    assert _content(parse_file(_write(tmp_path, "variant.txt", converted))) == _content(
        parse_file(SAMPLE_FILES["doncaster"])
    )


@pytest.mark.parametrize("name", ["dorset", "doncaster"])
def test_glued_and_split_cells(tmp_path: Path, name: str) -> None:
    original = SAMPLE_FILES[name].read_text(encoding="utf-8")
    text = pipes_to_tabs(original) if name == "doncaster" else original
    converted = glue_table_cells(text)
    assert converted != text
    expected = parse_file(SAMPLE_FILES[name])
    variant = parse_file(_write(tmp_path, "variant.txt", converted))
    assert [(s.code, s.name, s.rating) for s in variant.standards] == [
        (s.code, s.name, s.rating) for s in expected.standards
    ]
    assert variant.overall_rating == expected.overall_rating


def test_cover_on_one_line_or_several(tmp_path: Path) -> None:
    original = SAMPLE_FILES["doncaster"].read_text(encoding="utf-8")
    one_line = original.replace(
        "An inspection of probation services in:\n\nDoncaster\n\nThe Probation Service",
        "An inspection of probation services in: **Doncaster PDU** The Probation Service",
    )
    assert one_line != original
    report = parse_file(_write(tmp_path, "one-line.txt", one_line))
    assert (report.pdu, report.region) == ("Doncaster", "Yorkshire and the Humber")


def test_crlf_line_endings(tmp_path: Path) -> None:
    original = SAMPLE_FILES["portsmouth"].read_bytes()
    path = tmp_path / "crlf.txt"
    path.write_bytes(original.replace(b"\n", b"\r\n"))
    assert _content(parse_file(path)) == _content(parse_file(SAMPLE_FILES["portsmouth"]))


def test_region_from_the_text_when_the_cover_lacks_it(tmp_path: Path) -> None:
    original = SAMPLE_FILES["dorset"].read_text(encoding="utf-8")
    text = original.replace(" The Probation Service – South West region", "", 1)
    assert text != original
    assert parse_file(_write(tmp_path, "no-region-line.txt", text)).region == "South West"


def test_wording_variants_of_the_background_and_tables(tmp_path: Path) -> None:
    original = SAMPLE_FILES["dorset"].read_text(encoding="utf-8")
    text = (
        original.replace("beginning 12 June 2023", "starting on 12th June 2023")
        .replace("We also conducted 30 interviews with", "We also interviewed 30")
        .replace("Fieldwork started June 2023", "Fieldwork started: June 2023")
        .replace("keeping other people safe?\t33%", "keeping other people safe?\t33.4%", 1)
    )
    report = parse_file(_write(tmp_path, "wording.txt", text))
    assert (report.fieldwork_start_date, report.interviews, report.fieldwork_month) == ("2023-06-12", 30, "2023-06")
    assert [q.pct_yes for q in report.standards[5].key_questions] == [67, 71, 33]


def test_numbered_recommendations_in_a_table_layout(tmp_path: Path) -> None:
    original = SAMPLE_FILES["portsmouth"].read_text(encoding="utf-8")
    text = original.replace("- 5. reduce waiting times", "5.\treduce waiting times")
    assert text != original
    recs = parse_file(_write(tmp_path, "rec-table.txt", text)).recommendations
    assert [r.number for r in recs] == list(range(1, 9))
    assert recs[4].text.startswith("reduce waiting times") and recs[4].level == "Region"


def test_region_named_without_the_word_region(tmp_path: Path) -> None:
    original = SAMPLE_FILES["doncaster"].read_text(encoding="utf-8")
    text = original.replace("The Probation Service – Yorkshire and the Humber region", "The Probation Service – Wales")
    assert text != original
    assert parse_file(_write(tmp_path, "wales.txt", text)).region == "Wales"


def test_rating_words_split_by_the_converter(tmp_path: Path) -> None:
    original = SAMPLE_FILES["portsmouth"].read_text(encoding="utf-8")
    text = (
        original.replace("1.4\tInformation and facilities\tGood", "1.4\tInformation and facilities\tGo od")
        .replace("1.1\tLeadership\tRequires improvement", "1.1\tLeadership\tRequires improvem ent")
        .replace("Overall rating Requires improvement", "Overall rating Requires improveme nt")
    )
    assert text.count("improveme nt") == 1 and "Go od" in text
    report = parse_file(_write(tmp_path, "split.txt", text))
    assert report.overall_rating == "Requires improvement"
    ratings = {s.code: (s.name, s.rating) for s in report.standards}
    assert ratings["1.4"] == ("Information and facilities", "Good")
    assert ratings["1.1"] == ("Leadership", "Requires improvement")
    assert len(report.standards) == 9


def test_ligatures_and_no_break_spaces(tmp_path: Path) -> None:
    original = SAMPLE_FILES["dorset"].read_text(encoding="utf-8")
    text = original.replace("sufficiently", "su\ufb03ciently").replace(
        "Fieldwork started June", "Fieldwork started\u00a0June"
    )
    assert text != original
    report = parse_file(_write(tmp_path, "ligatures.txt", text))
    assert report.fieldwork_month == "2023-06"
    assert (
        report.standards[5].key_questions[0].text
        == "Does assessment focus sufficiently on engaging the person on probation?"
    )
