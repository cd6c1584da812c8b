"""Every field of the parsed record, on each of the three real sample reports (values read from the reports)."""

from __future__ import annotations

import pytest

from ingestion.model import InspectionReport
from ingestion.parse import parse_file
from tests.conftest import SAMPLE_FILES

EXPECTED_HEADER = {
    "dorset": {
        "pdu": "Dorset",
        "region": "South West",
        "published": "2023-08",
        "fieldwork_month": "2023-06",
        "fieldwork_start_date": "2023-06-12",
        "overall_rating": "Inadequate",
        "score": 3,
        "max_score": 27,
        "cases_inspected": 45,
        "interviews": 30,
        "lead_inspector": "Shellie Adams",
        "chief_inspector": "Justin Russell",
        "isbn": "978-1-915468-82-6",
        "framework": "pdu-2023",
    },
    "portsmouth": {
        "pdu": "Portsmouth and the Isle of Wight",
        "region": "South Central",
        "published": "2023-07",
        "fieldwork_month": "2023-05",
        "fieldwork_start_date": "2023-05-22",
        "overall_rating": "Requires improvement",
        "score": 6,
        "max_score": 27,
        "cases_inspected": 41,
        "interviews": 35,
        "lead_inspector": "Martin Cunningham",
        "chief_inspector": "Justin Russell",
        "isbn": "978-1-915468-78-9",
        "framework": "pdu-2023",
    },
    "doncaster": {
        "pdu": "Doncaster",
        "region": "Yorkshire and the Humber",
        "published": "2024-10",
        "fieldwork_month": "2024-06",
        "fieldwork_start_date": "2024-07-08",
        "overall_rating": "Inadequate",
        "score": 3,
        "max_score": 21,
        "cases_inspected": 41,  # 25 community orders + 16 licences
        "interviews": 37,
        "lead_inspector": "Jo Curphey",
        "chief_inspector": "Martin Jones",
        "isbn": "978-1-916621-55-8",
        "framework": "pdu-2024",
    },
}

RI, INAD, GOOD = "Requires improvement", "Inadequate", "Good"
# code -> (name, domain, rating, key-question percentages, band rating, discretion)
EXPECTED_STANDARDS = {
    "dorset": {
        "1.1": ("Leadership", 1, INAD, [], None, False),
        "1.2": ("Staff", 1, RI, [], None, False),
        "1.3": ("Services", 1, INAD, [], None, False),
        "1.4": ("Information and facilities", 1, RI, [], None, False),
        "2.1": ("Court work", 2, RI, [57], RI, False),
        "2.2": ("Assessment", 2, INAD, [67, 71, 33], INAD, False),
        "2.3": ("Planning", 2, INAD, [51, 69, 33], INAD, False),
        "2.4": ("Implementation and delivery", 2, INAD, [58, 40, 27], INAD, False),
        "2.5": ("Reviewing", 2, INAD, [71, 42, 20], INAD, False),
    },
    "portsmouth": {
        "1.1": ("Leadership", 1, RI, [], None, False),
        "1.2": ("Staff", 1, RI, [], None, False),
        "1.3": ("Services", 1, RI, [], None, False),
        "1.4": ("Information and facilities", 1, GOOD, [], None, False),
        "2.1": ("Court work", 2, RI, [48], INAD, True),  # professional discretion
        "2.2": ("Assessment", 2, INAD, [71, 73, 32], INAD, False),
        "2.3": ("Planning", 2, INAD, [66, 68, 37], INAD, False),
        "2.4": ("Implementation and delivery", 2, INAD, [61, 61, 39], INAD, False),
        "2.5": ("Reviewing", 2, INAD, [59, 59, 46], INAD, False),
    },
    "doncaster": {
        "1.1": ("Leadership", 1, RI, [], None, False),
        "1.2": ("Staffing", 1, RI, [], None, False),
        "1.3": ("Services", 1, RI, [], None, False),
        "2.1": ("Assessment", 2, INAD, [59, 78, 37], INAD, False),
        "2.2": ("Planning", 2, INAD, [41, 68, 59], INAD, False),
        "2.3": ("Implementation and delivery", 2, INAD, [49, 41, 27], INAD, False),
        "2.4": ("Reviewing", 2, INAD, [44, 44, 44], INAD, False),
    },
}

OUTCOMES_PCT = {"dorset": 38, "portsmouth": 46, "doncaster": None}

# (count, {number: (recipient, level, text prefix)})
EXPECTED_RECOMMENDATIONS = {
    "dorset": (
        13,
        {
            1: ("Dorset PDU", "PDU", "ensure all MAPPA nominals are identified"),
            2: ("Dorset PDU", "PDU", "ensure all risk information relating to MAPPA nominals"),
            5: ("Dorset PDU", "PDU", "ensure information relating to child safeguarding"),
            9: ("South West region", "Region", "prioritise the recruitment of a permanent head of PDU"),
            13: ("HM Prison and Probation Service", "HMPPS", "consider providing ongoing EPSIG place-based support"),
        },
    ),
    "portsmouth": (
        8,
        {
            1: ("Portsmouth and the Isle of Wight PDU", "PDU", "increase middle management capacity"),
            5: ("South Central region", "Region", "reduce waiting times for accredited programmes"),
            8: ("HM Prison and Probation Service (HMPPS)", "HMPPS", "ensure all probation offices have reliable Wi-Fi"),
        },
    ),
    "doncaster": (
        6,
        {
            1: ("Doncaster PDU", "PDU", "analyse information on domestic abuse"),
            6: ("Doncaster PDU", "PDU", "consider adding a deputy head of service"),
        },
    ),
}

# code -> (first strength prefix, first improvement prefix, n strengths, n improvements)
EXPECTED_FINDINGS = {
    "dorset": {
        "1.1": ("Dorset PDU had operated with an absence", "The current head of service was split", 6, 11),
        "2.2": ("The engagement of people on probation", "Domestic abuse enquiries were not made", 1, 3),
        "2.6": None,
    },
    "portsmouth": {
        "1.1": ("There was a clear plan to deliver the vision", "The vision for the PDU was not being achieved", 6, 5),
        "2.1": ("Mechanisms to obtain domestic abuse information", "In only half of the relevant cases", 4, 2),
    },
    "doncaster": {
        "1.2": ("The leadership team prioritised workforce planning", "Practitioners' workloads had reduced", 6, 7),
        "2.1": (None, None, 0, 0),  # bullets without Strengths/Areas headings are not classified
    },
}


@pytest.fixture(scope="module")
def reports() -> dict[str, InspectionReport]:
    return {name: parse_file(path) for name, path in SAMPLE_FILES.items()}


@pytest.mark.parametrize("name", EXPECTED_HEADER)
def test_header_fields(reports: dict[str, InspectionReport], name: str) -> None:
    report = reports[name]
    assert {key: getattr(report, key) for key in EXPECTED_HEADER[name]} == EXPECTED_HEADER[name]
    assert report.source_format == "text"
    assert report.content_sha256 and len(report.content_sha256) == 64


@pytest.mark.parametrize("name", EXPECTED_STANDARDS)
def test_standards(reports: dict[str, InspectionReport], name: str) -> None:
    got = {
        s.code: (s.name, s.domain, s.rating, [q.pct_yes for q in s.key_questions], s.band_rating, s.discretion)
        for s in reports[name].standards
    }
    assert got == EXPECTED_STANDARDS[name]
    assert [s.code for s in reports[name].standards] == list(EXPECTED_STANDARDS[name])


def test_key_question_texts_and_numbers(reports: dict[str, InspectionReport]) -> None:
    assessment = next(s for s in reports["dorset"].standards if s.code == "2.2")
    assert [(q.number, q.text) for q in assessment.key_questions] == [
        (1, "Does assessment focus sufficiently on engaging the person on probation?"),
        (2, "Does assessment focus sufficiently on the factors linked to offending and desistance?"),
        (3, "Does assessment focus sufficiently on keeping other people safe?"),
    ]
    court = next(s for s in reports["portsmouth"].standards if s.code == "2.1")
    assert court.key_questions[0].text.startswith("Is the pre-sentence information and advice provided to court")


@pytest.mark.parametrize("name", OUTCOMES_PCT)
def test_outcomes(reports: dict[str, InspectionReport], name: str) -> None:
    outcomes = reports[name].outcomes
    if OUTCOMES_PCT[name] is None:
        assert outcomes is None  # the 2024 framework gives outcomes as prose only
    else:
        assert outcomes is not None and outcomes.pct_yes == OUTCOMES_PCT[name]
        assert outcomes.code == "2.6"
        assert outcomes.text.startswith("Do early outcomes demonstrate that reasonable progress")


@pytest.mark.parametrize("name", EXPECTED_RECOMMENDATIONS)
def test_recommendations(reports: dict[str, InspectionReport], name: str) -> None:
    count, samples = EXPECTED_RECOMMENDATIONS[name]
    recs = reports[name].recommendations
    assert [r.number for r in recs] == list(range(1, count + 1))
    for number, (recipient, level, prefix) in samples.items():
        rec = recs[number - 1]
        assert (rec.recipient, rec.level) == (recipient, level)
        assert rec.text.startswith(prefix)
        assert not rec.text[:1].isdigit()


def test_lost_recommendation_numbers_are_inferred_with_a_warning(reports: dict[str, InspectionReport]) -> None:
    notes = [w.message for w in reports["dorset"].warnings if w.field == "recommendations"]
    assert any("recommendation 2 " in note for note in notes)
    assert any("recommendation 5 " in note for note in notes)


@pytest.mark.parametrize("name", EXPECTED_FINDINGS)
def test_findings(reports: dict[str, InspectionReport], name: str) -> None:
    standards = {s.code: s for s in reports[name].standards}
    for code, expected in EXPECTED_FINDINGS[name].items():
        if expected is None:
            assert code not in standards  # Outcomes is not a rated standard
            continue
        first_strength, first_improvement, n_strengths, n_improvements = expected
        standard = standards[code]
        assert (len(standard.strengths), len(standard.improvements)) == (n_strengths, n_improvements)
        if first_strength:
            assert standard.strengths[0].startswith(first_strength)
        if first_improvement:
            assert standard.improvements[0].startswith(first_improvement)


def test_page_break_continuation_joins_the_bullet(reports: dict[str, InspectionReport]) -> None:
    leadership = next(s for s in reports["doncaster"].standards if s.code == "1.1")
    partners = [t for t in leadership.strengths if t.startswith("Relationships with partner organisations")]
    assert len(partners) == 1 and "multi-agency forums and reviews." in partners[0]
    assert not any(t.startswith("multi-agency forums") for t in leadership.strengths)


def test_doncaster_fieldwork_disagreement_is_a_warning(reports: dict[str, InspectionReport]) -> None:
    warnings = [w for w in reports["doncaster"].warnings if w.field == "fieldwork_month"]
    assert len(warnings) == 1 and "2024-06" in warnings[0].message and "2024-07-08" in warnings[0].message
    assert not [w for w in reports["dorset"].warnings if w.field == "fieldwork_month"]


@pytest.mark.parametrize("name", EXPECTED_HEADER)
def test_seeds_break_no_domain_rule(reports: dict[str, InspectionReport], name: str) -> None:
    rule_fields = {"score", "max_score", "standards", "overall_rating"}
    assert not [w for w in reports[name].warnings if w.field in rule_fields]
