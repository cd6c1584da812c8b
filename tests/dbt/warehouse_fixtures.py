"""Crafted raw rows mirroring the three seed reports, and helpers to build and test a warehouse with dbt.

Shared by tests/dbt and tests/expectations. The crafted reports become the parser's model and then raw rows
through the loader's own row builders, so the marts are built exactly as in production, without depending on
the parser.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb

from ingestion.load import rows as loader_rows
from ingestion.load.raw_tables import column_names, create_statements
from ingestion.model import InspectionReport, KeyQuestion, Outcomes, ParseWarning, Recommendation, Standard
from ingestion.rating_scale import band_for_pct

DBT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"


@dataclass(frozen=True)
class Std:
    code: str
    name: str
    rating: str
    pcts: tuple[int, ...] = ()
    band: str | None = None
    discretion: bool = False

    @property
    def domain(self) -> int:
        return int(self.code.removeprefix("P ").split(".")[0])


@dataclass(frozen=True)
class Report:
    file_path: str
    sha: str
    pdu: str
    region: str
    published: str
    framework: str
    overall: str
    score: int | None
    max_score: int | None
    standards: tuple[Std, ...]
    recs: tuple[tuple[str, str, int], ...]  # (recipient, level, how many) in printed order
    parsed_at: datetime
    outcomes: tuple[str, int] | None = None  # (standard code, pct)
    lead_inspector: str = "HM Inspector"
    source_format: str = "txt"
    present: bool = True
    warnings: tuple[tuple[str, str], ...] = field(default_factory=tuple)


_2023 = ("Leadership", "Staff", "Services", "Information and facilities")
_2023_CASE = ("Court work", "Assessment", "Planning", "Implementation and delivery", "Reviewing")
_2024 = ("Leadership", "Staffing", "Services")
_2024_CASE = ("Assessment", "Planning", "Implementation and delivery", "Reviewing")


def _standards(
    domain1: Sequence[tuple[str, str]], domain2: Sequence[tuple[str, str, tuple[int, ...]]]
) -> tuple[Std, ...]:
    """Domain-1 (code, rating) and domain-2 (code, rating, pcts) standards; names come from the framework."""
    names = _2023 + _2023_CASE if len(domain1) == 4 else _2024 + _2024_CASE
    out = [Std(code, names[i], rating) for i, (code, rating) in enumerate(domain1)]
    for j, (code, rating, pcts) in enumerate(domain2):
        b = band_for_pct(min(pcts))
        out.append(Std(code, names[len(domain1) + j], rating, pcts, b, b != rating))
    return tuple(out)


RI, INAD, GOOD = "Requires improvement", "Inadequate", "Good"

# Key-question texts as the reports print them (both frameworks word them alike), so that every question
# gets its theme from the key_question_themes seed as in production.
QUESTION_TEXTS: dict[str, tuple[str, ...]] = {
    "Court work": (
        "Is the pre-sentence information and advice provided to court sufficiently analytical and "
        "personalised to the individual, supporting the court's decision-making?",
    ),
    "Assessment": (
        "Does assessment focus sufficiently on engaging the person on probation?",
        "Does assessment focus sufficiently on the factors linked to offending and desistance?",
        "Does assessment focus sufficiently on keeping other people safe?",
    ),
    "Planning": (
        "Does planning focus sufficiently on engaging the person on probation?",
        "Does planning focus sufficiently on reducing reoffending and supporting desistance?",
        "Does planning focus sufficiently on keeping other people safe?",
    ),
    "Implementation and delivery": (
        "Is the sentence or post-custody period implemented effectively with a focus on engaging the person on "
        "probation?",
        "Does the implementation and delivery of services effectively support desistance?",
        "Does the implementation and delivery of services effectively support the safety of other people?",
    ),
    "Reviewing": (
        "Does reviewing focus sufficiently on supporting the compliance and engagement of the person on probation?",
        "Does reviewing focus sufficiently on supporting desistance?",
        "Does reviewing focus sufficiently on keeping other people safe?",
    ),
}
OUTCOMES_TEXT = (
    "Do early outcomes demonstrate that reasonable progress has been made in line with the personalised "
    "needs of the person on probation?"
)

DORSET = Report(
    file_path="dorset-2023-08.txt",
    sha="a" * 64,
    pdu="Dorset",
    region="South West",
    published="2023-08",
    framework="pdu-2023",
    overall=INAD,
    score=3,
    max_score=27,
    standards=_standards(
        [("1.1", INAD), ("1.2", RI), ("1.3", INAD), ("1.4", RI)],
        [
            ("2.1", RI, (57,)),
            ("2.2", INAD, (67, 71, 33)),
            ("2.3", INAD, (51, 69, 33)),
            ("2.4", INAD, (58, 40, 27)),
            ("2.5", INAD, (71, 42, 20)),
        ],
    ),
    outcomes=("2.6", 38),
    recs=(
        ("Dorset PDU", "PDU", 8),
        ("South West region", "Region", 4),
        ("HM Prison and Probation Service", "HMPPS", 1),
    ),
    parsed_at=datetime(2025, 1, 10, 9, 0),
    warnings=(("recommendations", "recommendation 2 has no printed number"),),
)
PORTSMOUTH = Report(
    file_path="portsmouth-and-the-isle-of-wight-2023-07.txt",
    sha="b" * 64,
    pdu="Portsmouth and the Isle of Wight",
    region="South Central",
    published="2023-07",
    framework="pdu-2023",
    overall=RI,
    score=6,
    max_score=27,
    standards=_standards(
        [("1.1", RI), ("1.2", RI), ("1.3", RI), ("1.4", GOOD)],
        [
            ("2.1", RI, (48,)),
            ("2.2", INAD, (71, 73, 32)),
            ("2.3", INAD, (66, 68, 37)),
            ("2.4", INAD, (61, 61, 39)),
            ("2.5", INAD, (59, 59, 46)),
        ],
    ),
    outcomes=("2.6", 46),
    recs=(
        ("Portsmouth and the Isle of Wight PDU", "PDU", 4),
        ("South Central region", "Region", 2),
        ("HM Prison and Probation Service (HMPPS)", "HMPPS", 2),
    ),
    parsed_at=datetime(2025, 1, 10, 9, 1),
)
DONCASTER = Report(
    file_path="doncaster-2024-10.txt",
    sha="c" * 64,
    pdu="Doncaster",
    region="Yorkshire and the Humber",
    published="2024-10",
    framework="pdu-2024",
    overall=INAD,
    score=3,
    max_score=21,
    standards=_standards(
        [("P 1.1", RI), ("P 1.2", RI), ("P 1.3", RI)],
        [
            ("P 2.1", INAD, (59, 78, 37)),
            ("P 2.2", INAD, (41, 68, 59)),
            ("P 2.3", INAD, (49, 41, 27)),
            ("P 2.4", INAD, (44, 44, 44)),
        ],
    ),
    recs=(("Doncaster PDU", "PDU", 6),),
    parsed_at=datetime(2025, 1, 10, 9, 2),
    present=False,  # left the landing folder: must stay in the marts
)
SEED_REPORTS: tuple[Report, ...] = (DORSET, PORTSMOUTH, DONCASTER)

# The same Portsmouth inspection as an older markdown parse, spelled as in its background section:
# it must collapse into the txt inspection (newest parse wins).
PORTSMOUTH_MD = replace(
    PORTSMOUTH,
    file_path="portsmouth.md",
    sha="d" * 64,
    pdu="Portsmouth and Isle of Wight PDU",
    source_format="md",
    lead_inspector="Older parse",
    parsed_at=datetime(2024, 12, 1, 8, 0),
)
# A superseded Dorset version: kept in raw history, but no path points at it any more.
DORSET_OLD = replace(DORSET, sha="e" * 64, score=4, parsed_at=datetime(2024, 11, 1, 8, 0))
# Dorset re-inspected in March 2025 under the 2024 framework (7 standards): 2+1+0+1+0+2+1 = 7 of 21.
DORSET_2025 = replace(
    DORSET,
    file_path="dorset-2025-03.txt",
    sha="9" * 64,
    published="2025-03",
    framework="pdu-2024",
    overall=RI,
    score=7,
    max_score=21,
    outcomes=None,
    recs=(("Dorset PDU", "PDU", 2),),
    parsed_at=datetime(2025, 4, 1),
    warnings=(),
    standards=_standards(
        [("P 1.1", GOOD), ("P 1.2", RI), ("P 1.3", INAD)],
        [
            ("P 2.1", RI, (60, 70, 55)),
            ("P 2.2", INAD, (45, 60, 70)),
            ("P 2.3", GOOD, (70, 75, 66)),
            ("P 2.4", RI, (50, 52, 64)),
        ],
    ),
)
QUARANTINED = {
    "file_path": "youth-justice-doncaster.pdf",
    "content_sha256": "f" * 64,
    "size_bytes": 1234,
    "reason": "not a PDU inspection report (youth justice)",
    "quarantined_at": datetime(2025, 1, 10, 9, 3),
}

Row = dict[str, Any]


def as_report(r: Report) -> InspectionReport:
    """The crafted report as the parser's model, so that the loader's own row builders make its raw rows."""
    recipients = [(recipient, level) for recipient, level, count in r.recs for _ in range(count)]
    return InspectionReport(
        pdu=r.pdu,
        region=r.region,
        published=r.published,
        overall_rating=r.overall,
        score=r.score,
        max_score=r.max_score,
        cases_inspected=45,
        interviews=30,
        lead_inspector=r.lead_inspector,
        chief_inspector="Chief Inspector",
        framework=r.framework,
        standards=[
            Standard(
                code=s.code,
                name=s.name,
                domain=s.domain,
                rating=s.rating,
                band_rating=s.band,
                discretion=s.discretion,
                key_questions=[
                    KeyQuestion(number=n, text=QUESTION_TEXTS[s.name][n - 1], pct_yes=pct)
                    for n, pct in enumerate(s.pcts, 1)
                ],
                strengths=[f"{s.name} strength"],
                improvements=[f"{s.name} improvement"],
            )
            for s in r.standards
        ],
        outcomes=Outcomes(code=r.outcomes[0], text=OUTCOMES_TEXT, pct_yes=r.outcomes[1]) if r.outcomes else None,
        recommendations=[
            Recommendation(number=n, recipient=recipient, level=level, text=f"recommendation {n}")
            for n, (recipient, level) in enumerate(recipients, 1)
        ],
        warnings=[ParseWarning(field=f, message=m) for f, m in r.warnings],
        source_file=r.file_path,
        source_format=r.source_format,
        content_sha256=r.sha,
    )


def report_rows(r: Report) -> dict[str, list[Row]]:
    """Raw rows one crafted report contributes, keyed by table: built by the loader itself (ingestion/load/rows.py)."""
    return loader_rows.report_rows(as_report(r), r.parsed_at)


def file_row(r: Report, status: str = "parsed") -> Row:
    return {
        "file_path": r.file_path,
        "content_sha256": r.sha,
        "size_bytes": 1000,
        "source_format": r.source_format,
        "status": status,
        "parser_version": "test",
        "present": r.present,
        "first_seen_at": r.parsed_at,
        "last_seen_at": r.parsed_at,
    }


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: Iterable[Row]) -> None:
    cols = column_names(table)
    values = [tuple(row.get(c) for c in cols) for row in rows]
    if values:
        placeholders = ", ".join("?" for _ in cols)
        con.executemany(f"INSERT INTO raw.{table} ({', '.join(cols)}) VALUES ({placeholders})", values)


def create_raw_warehouse(
    path: Path,
    current: Sequence[Report] = (*SEED_REPORTS, PORTSMOUTH_MD),
    history: Sequence[Report] = (DORSET_OLD,),
    quarantined: Sequence[Row] = (QUARANTINED,),
) -> Path:
    """A DuckDB file with the raw schema: `current` reports are what their paths hold now,
    `history` versions are only in the per-version tables, `quarantined` files hold unparseable content."""
    with duckdb.connect(str(path)) as con:
        for statement in create_statements():
            con.execute(statement)
        for report in (*current, *history):
            for table, rows in report_rows(report).items():
                insert_rows(con, table, rows)
        insert_rows(con, "report_files", [file_row(r) for r in current])
        insert_rows(con, "quarantine", quarantined)
        insert_rows(
            con,
            "report_files",
            [
                {
                    **q,
                    "source_format": "pdf",
                    "status": "quarantined",
                    "parser_version": "test",
                    "present": True,
                    "first_seen_at": q["quarantined_at"],
                    "last_seen_at": q["quarantined_at"],
                }
                for q in quarantined
            ],
        )
    return path


def dbt_env(warehouse: Path) -> None:
    os.environ["PROBATION_WAREHOUSE"] = str(warehouse)
    os.environ["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    os.environ["DO_NOT_TRACK"] = "1"


@dataclass
class DbtOutcome:
    success: bool
    statuses: dict[str, str]  # node name -> status (success, pass, fail, warn, error, skipped)
    exception: BaseException | None

    def failing(self) -> dict[str, str]:
        return {name: status for name, status in self.statuses.items() if status not in ("success", "pass")}


class Dbt:
    """dbt in-process against a chosen warehouse file; the project is parsed once and the manifest reused,
    which makes a `dbt test --select x` cost well under a second.

    Warehouses passed in must be named probation.duckdb: dbt qualifies relations with the file's stem."""

    def __init__(self, work_dir: Path, project_dir: Path = DBT_DIR) -> None:
        self.work_dir = work_dir
        self.project_dir = project_dir
        self._manifest: Any = None

    def _args(self) -> list[str]:
        return [
            "--project-dir",
            str(self.project_dir),
            "--profiles-dir",
            str(self.project_dir),
            "--target-path",
            str(self.work_dir / "target"),
            "--log-path",
            str(self.work_dir / "logs"),
            "--target",
            "in_process",  # dbt closes the file when done: this process opens it next (profiles.yml)
            "--quiet",
        ]

    def invoke(self, args: Sequence[str], warehouse: Path) -> DbtOutcome:
        from dbt.cli.main import dbtRunner

        assert warehouse.name == "probation.duckdb", warehouse
        dbt_env(warehouse)
        if self._manifest is None:
            parsed = dbtRunner().invoke(["parse", *self._args()])
            assert parsed.success, parsed.exception
            self._manifest = parsed.result
        result = dbtRunner(manifest=self._manifest).invoke([*args, *self._args()])
        statuses = {res.node.name: str(res.status) for res in (result.result or [])}
        return DbtOutcome(bool(result.success), statuses, result.exception)

    @property
    def manifest(self) -> Any:
        return self._manifest


def build_warehouse(work_dir: Path, dbt: Dbt | None = None, **raw: Any) -> Path:
    """Create the raw tables in work_dir/probation.duckdb and `dbt build` it; fails loudly when dbt fails."""
    work_dir.mkdir(parents=True, exist_ok=True)
    warehouse = create_raw_warehouse(work_dir / "probation.duckdb", **raw)
    outcome = (dbt or Dbt(work_dir)).invoke(["build"], warehouse)
    assert outcome.exception is None and outcome.success, f"dbt build failed: {outcome.failing()} {outcome.exception}"
    return warehouse


def copy_warehouse(src: Path, dst_dir: Path) -> Path:
    """Copy keeping the file name (dbt's database name is the file stem)."""
    dst_dir.mkdir(parents=True, exist_ok=True)
    dst = dst_dir / src.name
    shutil.copyfile(src, dst)
    return dst


def query(warehouse: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def execute(warehouse: Path, *statements: str) -> None:
    with duckdb.connect(str(warehouse)) as con:
        for statement in statements:
            con.execute(statement)


@dataclass(frozen=True)
class Built:
    warehouse: Path
    dbt: Dbt

    def manifest_json(self) -> dict[str, Any]:
        return json.loads((self.dbt.work_dir / "target" / "manifest.json").read_text())

    def copy(self, dst_dir: Path) -> Path:
        return copy_warehouse(self.warehouse, dst_dir)


@lru_cache(maxsize=1)
def shared_build() -> Built:
    """One `dbt build` of the crafted sample per test process, shared by tests/dbt and tests/expectations.
    Tests must not modify it: corrupt a `copy()` instead."""
    work_dir = Path(tempfile.mkdtemp(prefix="probation-dbt-"))
    atexit.register(shutil.rmtree, work_dir, True)
    dbt = Dbt(work_dir)
    return Built(build_warehouse(work_dir / "built", dbt), dbt)
