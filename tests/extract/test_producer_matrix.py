"""Every producer x report PDF (tests/fixtures/pdf/) parses to its text version's record, field by field."""

from __future__ import annotations

import pytest

from tests.extract.pdf_matrix import differences, fields, report_names
from tests.extract.pdf_producers import FIXTURES, PRODUCERS, UNREADABLE

# Producer x report pairs known to differ, with the reason: strict, so a fix must remove the entry.
# tests/extract/test_producer_gate.py checks that none of them publishes a wrong value.
# The UNREADABLE producers differ by design: their text layer is refused (test_redistilled.py).
_NO_UNICODE = "refused by design: the print-driver round trip left its fonts without any Unicode mapping"
KNOWN_FAILURES: dict[tuple[str, str], str] = {
    (producer, name): _NO_UNICODE for producer in UNREADABLE for name in report_names()
}


def _cases() -> list[object]:
    cases = []
    for producer in PRODUCERS:
        for name in report_names():
            reason = KNOWN_FAILURES.get((producer, name))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            cases.append(pytest.param(producer, name, marks=marks, id=f"{producer}-{name}"))
    return cases


def test_every_producer_and_report_is_committed() -> None:
    names = report_names()
    assert len(names) >= 4 and any(n.startswith("variant-") for n in names)
    for producer in PRODUCERS:
        assert sorted(p.stem for p in (FIXTURES / producer).glob("*.pdf")) == names, producer


@pytest.mark.parametrize(("producer", "name"), _cases())
def test_pdf_parse_equals_text_version(producer: str, name: str) -> None:
    diff, expected = differences(producer, name)
    total = len(expected)
    assert total > 100  # every standard, rating, percentage, recommendation, score and date is compared
    assert diff == {}, f"{len(diff)} of {total} fields differ: " + "; ".join(
        f"{field}: text {want!r} pdf {got!r}" for field, (want, got) in list(diff.items())[:5]
    )


def test_comparison_catches_a_wrong_field() -> None:
    # The comparison itself must see a single changed percentage among the flattened fields.
    from ingestion.parse import parse_file
    from tests.extract.pdf_matrix import text_version

    report = parse_file(text_version(report_names()[0]))
    before = fields(report)
    report.standards[-1].key_questions[0].pct_yes = 101
    after = fields(report)
    assert [k for k in before if before[k] != after[k]] == [
        f"standards.{report.standards[-1].code}.key_questions.1.pct_yes"
    ]
