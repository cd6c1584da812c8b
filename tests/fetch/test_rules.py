"""The PDU-vs-other recognition rule."""

from __future__ import annotations

import pytest

from ingestion.fetch.rules import classify, is_other_kind


@pytest.mark.parametrize(
    ("evidence", "take", "reason"),
    [
        (["An inspection of probation services in: Dorset PDU"], True, "PDU inspection report"),
        (
            ["Dorset", "https://x/wp-content/uploads/sites/5/2024/07/Dorset-PDU-report.pdf"],
            True,
            "PDU inspection report",
        ),
        (["/document/an-inspection-of-probation-services-in-plymouth-pdu-2025"], True, "PDU inspection report"),
        (["Plymouth probation delivery unit"], True, "PDU inspection report"),
        (
            ["An inspection of youth justice services in Doncaster", "/inspections/doncaster2024/"],
            False,
            "youth justice report",
        ),
        # youth evidence wins even when a PDU word is present somewhere else
        (["Doncaster PDU", "https://x/inspections/doncaster-youth-2024/"], False, "youth justice report"),
        (["Reading YJS"], False, "youth justice report"),
        (["A thematic inspection of work with women"], False, "thematic report"),
        (["Regional inspection of the North West"], False, "regional report"),
        (["An inspection of probation services in: the South West region"], False, "regional report"),
        (["HM Inspectorate of Probation annual report 2023"], False, "annual report"),
        (["An inspection of Cumbria and Lancashire CRC"], False, "not a PDU inspection report"),
        ([None, ""], False, "not a PDU inspection report"),
    ],
)
def test_classify(evidence: list[str | None], take: bool, reason: str) -> None:
    decision = classify(*evidence)
    assert (decision.take, decision.reason) == (take, reason)


def test_words_inside_other_words_do_not_count() -> None:
    # "updated" contains no "pdu" word; "youthful" is not "youth"
    assert not classify("An updated inspection of Cumbria").take
    assert classify("Youthful Dorset PDU").take


def test_annual_and_report_must_be_together() -> None:
    assert classify("Annual inspection of Dorset PDU: report").take


def test_is_other_kind_only_names_explicit_other_kinds() -> None:
    assert is_other_kind("An inspection of youth justice services in Doncaster").reason == "youth justice report"
    assert is_other_kind("Rotherham") is None  # unknown yet: the report page decides
    assert is_other_kind("Dorset PDU") is None
