"""A refresh never loses a published inspection (issue 23): a file edited in place whose new version cannot be
read keeps its last good version in the marts, marked with since when and why the newer file is not used;
`inspections forget` is the one way to remove an inspection, and --undo brings it back.

The three sample reports go through the real loader into one warehouse that dbt refreshes incrementally, step
after step, as `make run` would; after each step a copy is rebuilt with --full-refresh and every mart compared
(bench/compare_marts.py). The steps run in order and build on each other.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest

from bench.compare_marts import compare
from cli.main import main as inspections
from cli.run import RunSummary
from config.locks import refresh_lock
from ingestion.load.file_history import files_on_last_good
from ingestion.load.loader import sync_landing_folder
from serving.last_good import KeptVersion, kept_last_good
from tests.conftest import ROOT
from tests.dbt.warehouse_fixtures import Dbt, copy_warehouse, query

pytestmark = pytest.mark.slow

REPORTS = Path(__file__).resolve().parents[2] / "data" / "reports"
DONCASTER = "doncaster-2024-10"
DONCASTER_FILE = "doncaster-2024-10.txt"
PER_INSPECTION = ("inspections", "ratings", "scores", "recommendations", "findings")
# One rating word misspelt: the file is quarantined (issue 23's own example).
MISSPELT = ("| P 2.4 | Reviewing | Inadequate |", "| P 2.4 | Reviewing | Inadequte |")
# Another unreadable version: a second standard misspelt.
MISSPELT_TOO = (
    "| P 2.3 | Implementation and delivery | Inadequate |",
    "| P 2.3 | Implementation and delivery | Inadequat |",
)
# A readable edit: another lead inspector.
NEW_LEAD = ("HM Inspector Jo Curphey", "HM Inspector Jo Fixed")


@dataclass
class Scenario:
    work: Path
    dbt: Dbt

    @property
    def landing(self) -> Path:
        return self.work / "reports"

    @property
    def warehouse(self) -> Path:
        return self.work / "incremental" / "probation.duckdb"

    def edit(self, name: str, *replacements: tuple[str, str]) -> None:
        """Write the sample report `name` with `replacements` applied (each must apply)."""
        text = (REPORTS / name).read_text()
        for old, new in replacements:
            assert old in text, old
            text = text.replace(old, new)
        (self.landing / name).write_text(text)

    def refresh(self, step: str) -> None:
        """Load the landing folder, refresh the marts incrementally, and compare them with a full rebuild."""
        sync_landing_folder(self.warehouse, self.landing, workers=1)
        outcome = self.dbt.invoke(["build", "--exclude", "resource_type:seed"], self.warehouse)
        assert outcome.success, (step, outcome.failing(), outcome.exception)
        full = copy_warehouse(self.warehouse, self.work / f"full-{step}")
        outcome = self.dbt.invoke(["run", "--full-refresh", "--select", "intermediate", "marts"], full)
        assert outcome.success, (step, outcome.failing(), outcome.exception)
        differences = [line for line in compare(full, self.warehouse) if not line.startswith("same")]
        assert not differences, (step, differences)
        shutil.rmtree(full.parent)

    def doncaster(self, columns: str = "*") -> list[tuple[Any, ...]]:
        return query(self.warehouse, f"select {columns} from marts.inspections where inspection_id = '{DONCASTER}'")

    def rows_of(self, inspection_id: str) -> dict[str, list[tuple[Any, ...]]]:
        """Every per-inspection mart's rows of one inspection, sorted, with the two new columns left out."""
        marts = {}
        for mart in PER_INSPECTION:
            exclude = " exclude (newer_file_rejected_at, newer_file_rejected_reason)" if mart == "inspections" else ""
            marts[mart] = query(
                self.warehouse,
                f"select *{exclude} from marts.{mart} where inspection_id = '{inspection_id}' order by all",
            )
        return marts

    def quarantine(self, name: str) -> tuple[str, str]:
        """(content hash, reason) of the file's current, quarantined content."""
        [row] = query(
            self.warehouse,
            "select q.content_sha256, q.reason from raw.quarantine as q inner join raw.report_files as f "
            f"using (file_path, content_sha256) where f.file_path = '{name}' and f.status = 'quarantined'",
        )
        return row

    def held_since(self, name: str, sha: str) -> Any:
        [(since,)] = query(
            self.warehouse,
            f"select held_since from raw.report_file_versions where file_path = '{name}' and content_sha256 = '{sha}'",
        )
        return since


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    work = tmp_path_factory.mktemp("last-good")
    s = Scenario(work, Dbt(work / "dbt"))
    shutil.copytree(REPORTS, s.landing)
    s.warehouse.parent.mkdir()
    sync_landing_folder(s.warehouse, s.landing, workers=1)
    outcome = s.dbt.invoke(["build"], s.warehouse)
    assert outcome.success, (outcome.failing(), outcome.exception)
    return s


@pytest.fixture(scope="module")
def published(scenario: Scenario) -> dict[str, list[tuple[Any, ...]]]:
    """Doncaster's rows in every per-inspection mart as first built, with no version kept."""
    assert scenario.doncaster("newer_file_rejected_at, newer_file_rejected_reason") == [(None, None)]
    return scenario.rows_of(DONCASTER)


def test_an_unreadable_new_version_keeps_the_last_good_one(scenario: Scenario, published: dict) -> None:
    s = scenario
    s.edit(DONCASTER_FILE, MISSPELT)
    (s.landing / "not-a-report.txt").write_text("This file is not an inspection report.\n")  # never good: no version
    s.refresh("misspelt")
    bad_sha, reason = s.quarantine(DONCASTER_FILE)
    # Every mart holds Doncaster exactly as before: same version, same values.
    assert s.rows_of(DONCASTER) == published
    assert s.doncaster("newer_file_rejected_at, newer_file_rejected_reason") == [
        (s.held_since(DONCASTER_FILE, bad_sha), reason)
    ]
    assert query(s.warehouse, "select count(*) from marts.quarantined_files") == [(2,)]
    assert query(s.warehouse, "select count(*) from marts.pdus where pdu_name = 'Doncaster'") == [(1,)]
    # The others are untouched and unmarked.
    assert query(s.warehouse, "select count(*) from marts.inspections where newer_file_rejected_at is null") == [(2,)]


def test_the_reader_and_the_run_summary_name_the_kept_version(scenario: Scenario) -> None:
    with duckdb.connect(str(scenario.warehouse), read_only=True) as con:
        kept = kept_last_good(con)
    bad_sha, reason = scenario.quarantine(DONCASTER_FILE)
    assert kept == [KeptVersion(DONCASTER, DONCASTER_FILE, scenario.held_since(DONCASTER_FILE, bad_sha), reason)]
    lines = RunSummary(success=True, kept=kept).lines()
    assert f"kept last good version: {kept[0].text()}" in lines
    with duckdb.connect(str(scenario.warehouse), read_only=True) as con:
        assert files_on_last_good(con) == [(DONCASTER_FILE, reason)]
    assert f"{DONCASTER} ({DONCASTER_FILE}: newer version unusable since " in kept[0].text()
    assert reason in kept[0].text()


def test_another_unreadable_version_keeps_the_time_it_first_became_unusable(
    scenario: Scenario, published: dict
) -> None:
    s = scenario
    [(since,)] = s.doncaster("newer_file_rejected_at")
    s.edit(DONCASTER_FILE, MISSPELT, MISSPELT_TOO)
    s.refresh("misspelt-twice")
    _, reason = s.quarantine(DONCASTER_FILE)
    assert s.rows_of(DONCASTER) == published
    assert s.doncaster("newer_file_rejected_at, newer_file_rejected_reason") == [(since, reason)]


def test_a_readable_version_is_used_again_and_unmarked(scenario: Scenario, published: dict) -> None:
    s = scenario
    s.edit(DONCASTER_FILE, NEW_LEAD)
    s.refresh("fixed")
    assert s.doncaster("lead_inspector, newer_file_rejected_at, newer_file_rejected_reason") == [
        ("Jo Fixed", None, None)
    ]
    [(sha,)] = query(s.warehouse, f"select content_sha256 from raw.report_files where file_path = '{DONCASTER_FILE}'")
    assert s.doncaster("content_sha256") == [(sha,)]
    with duckdb.connect(str(s.warehouse), read_only=True) as con:
        assert files_on_last_good(con) == [] and kept_last_good(con) == []
    assert published["inspections"][0][0] == DONCASTER and sha not in published["inspections"][0]


def test_the_last_good_version_is_the_one_the_file_held_last(scenario: Scenario, published: dict) -> None:
    # The file goes back to its original content (parsed before the readable edit, so not re-parsed: older
    # parse time), then to the first misspelt content again. The version kept is the original, which the file
    # held last, not the edit that was parsed last; and the misspelt content counts from its return.
    s = scenario
    shutil.copyfile(REPORTS / DONCASTER_FILE, s.landing / DONCASTER_FILE)
    s.refresh("original-again")
    assert s.rows_of(DONCASTER) == published
    s.edit(DONCASTER_FILE, MISSPELT)
    s.refresh("misspelt-again")
    bad_sha, reason = s.quarantine(DONCASTER_FILE)
    assert s.rows_of(DONCASTER) == published
    [(since, why)] = s.doncaster("newer_file_rejected_at, newer_file_rejected_reason")
    [(first_seen,)] = query(
        s.warehouse,
        f"select first_seen_at from raw.report_file_versions where file_path = '{DONCASTER_FILE}' "
        f"and content_sha256 = '{bad_sha}'",
    )
    assert why == reason and since == s.held_since(DONCASTER_FILE, bad_sha) and since > first_seen


def test_forget_removes_an_inspection_on_purpose_and_undo_brings_it_back(
    scenario: Scenario, capsys: pytest.CaptureFixture[str]
) -> None:
    s = scenario
    before = s.rows_of("dorset-2023-08")
    warehouse = ["--warehouse", str(s.warehouse)]
    assert inspections(["forget", "dorset-2023-08", "--reason", "withdrawn by HMI", *warehouse]) == 0
    [(when,)] = query(s.warehouse, "select forgotten_at from raw.forgotten_inspections")
    assert query(s.warehouse, "select inspection_id, reason from raw.forgotten_inspections") == [
        ("dorset-2023-08", "withdrawn by HMI")
    ]
    capsys.readouterr()
    assert inspections(["forget", "--list", *warehouse]) == 0
    assert capsys.readouterr().out.startswith("dorset-2023-08\tforgotten at ")
    # Forgetting it again changes nothing.
    assert inspections(["forget", "dorset-2023-08", "--reason", "again", *warehouse]) == 0
    assert query(s.warehouse, "select forgotten_at, reason from raw.forgotten_inspections") == [
        (when, "withdrawn by HMI")
    ]
    s.refresh("forgotten")
    for mart in (*PER_INSPECTION, "latest_inspections", "pdu_history"):
        assert query(s.warehouse, f"select count(*) from marts.{mart} where inspection_id = 'dorset-2023-08'") == [
            (0,)
        ], mart
    assert query(s.warehouse, "select count(*) from marts.pdus where pdu_name = 'Dorset'") == [(0,)]
    assert query(s.warehouse, "select count(*) from marts.inspections") == [(2,)]

    assert inspections(["forget", "--undo", "dorset-2023-08", *warehouse]) == 0
    assert query(s.warehouse, "select count(*) from raw.forgotten_inspections") == [(0,)]
    s.refresh("remembered")
    assert s.rows_of("dorset-2023-08") == before


def test_forget_refuses_an_unknown_id_and_a_running_refresh(
    scenario: Scenario, capsys: pytest.CaptureFixture[str]
) -> None:
    warehouse = ["--warehouse", str(scenario.warehouse)]
    assert inspections(["forget", "dorset-2023-8", *warehouse]) == 1
    assert "no inspection dorset-2023-8 in marts.inspections" in capsys.readouterr().err
    assert inspections(["forget", "--undo", "dorset-2023-08", *warehouse]) == 1
    # The lock is re-entrant within a process (a run takes it again under `inspections run`): the refresh that
    # holds it here is this process, the forget another one.
    with refresh_lock(scenario.warehouse):
        forget = subprocess.run(
            [sys.executable, "-m", "cli.main", "forget", "dorset-2023-08", *warehouse],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert forget.returncode == 75 and "another refresh is running" in forget.stderr
    assert query(scenario.warehouse, "select count(*) from raw.forgotten_inspections") == [(0,)]


def test_a_file_that_leaves_the_folder_keeps_its_data(scenario: Scenario) -> None:
    s = scenario
    before = s.rows_of("dorset-2023-08")
    (s.landing / "dorset-2023-08.txt").unlink()
    s.refresh("removed")
    after = s.rows_of("dorset-2023-08")
    file_present = [row[0] for row in query(s.warehouse, "select file_present from marts.inspections")]
    assert after["ratings"] == before["ratings"] and after["scores"] == before["scores"]
    assert query(
        s.warehouse,
        "select file_present, newer_file_rejected_at from marts.inspections where inspection_id = 'dorset-2023-08'",
    ) == [(False, None)]
    assert file_present.count(False) == 1
