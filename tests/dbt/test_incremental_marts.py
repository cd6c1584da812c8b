"""The incremental marts equal a full rebuild after every kind of change (docs/dbt.md, "Incremental marts").

A generated corpus (bench/corpus.py) goes through the real loader into one warehouse, which dbt refreshes
incrementally step after step: reports added, changed, re-parsed by a new parser version, removed from the
landing folder and restored, replaced by another inspection or by an unreadable file (its last good version
kept), a second version of an inspection winning and then losing, a build that fails half-way, bad data failing a test, an edited seed.
After each step a copy of the warehouse is rebuilt with `--full-refresh` and every mart of the two is compared
(bench/compare_marts.py: names, columns, types, values; the incremental marts' rows sorted). Each step also
checks which inspections the incremental build rebuilt (the state rows it wrote), so that a build that
rebuilds everything every time, or nothing, is caught too.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bench.compare_marts import compare
from bench.corpus import Spec, plan, render
from tests.dbt.warehouse_fixtures import DBT_DIR, Dbt, DbtOutcome, copy_warehouse, execute, query

loader = pytest.importorskip("ingestion.load.loader")
rows_module = pytest.importorskip("ingestion.load.rows")
pytestmark = pytest.mark.slow

INCREMENTAL = ("findings", "inspections", "ratings", "recommendations", "scores")
STATE = "intermediate.incremental_state"
JUNK = b"This file is not an inspection report.\n"
LAYERS = ("intermediate", "marts")


def inspection_id(spec: Spec) -> str:
    """The marts' key: slug of the PDU and the publication month (int_report_versions)."""
    return re.sub(r"[^a-z0-9]+", "-", spec.pdu.lower()).strip("-") + "-" + spec.published


@dataclass
class Scenario:
    """A landing folder, its warehouse refreshed incrementally, and a full rebuild to compare it with."""

    work: Path
    specs: list[Spec]
    dbt: Dbt
    seen_builds: set[str] = field(default_factory=set)

    @property
    def landing(self) -> Path:
        return self.work / "reports"

    @property
    def warehouse(self) -> Path:
        return self.work / "incremental" / "probation.duckdb"

    def write(self, spec: Spec, name: str | None = None) -> None:
        (self.landing / (name or spec.file_name)).write_bytes(render(spec))

    def refresh(self, command: str = "run", *flags: str, dbt: Dbt | None = None) -> DbtOutcome:
        """Load the landing folder and refresh the marts incrementally. `run` selects the intermediate and mart
        models only (staging views and seeds do not change between steps); `build` runs the whole project."""
        loader.sync_landing_folder(self.warehouse, self.landing)
        selection = ["--select", *LAYERS] if command == "run" else []
        return (dbt or self.dbt).invoke([command, *flags, *selection], self.warehouse)

    def rebuilt(self) -> dict[str, set[str]]:
        """Per incremental mart, the inspections the builds since the last call wrote state rows for."""
        rows = query(self.warehouse, f"select model, inspection_id, built_by from {STATE}")
        new = {(model, iid) for model, iid, built_by in rows if built_by not in self.seen_builds}
        self.seen_builds |= {built_by for _, _, built_by in rows}
        return {model: {iid for m, iid in new if m == model} for model in INCREMENTAL}

    def assert_equal_to_full_rebuild(self, step: str, dbt: Dbt | None = None) -> None:
        full = copy_warehouse(self.warehouse, self.work / f"full-{step}")
        outcome = (dbt or self.dbt).invoke(["run", "--full-refresh", "--select", *LAYERS], full)
        assert outcome.success, (step, outcome.failing(), outcome.exception)
        lines = compare(full, self.warehouse)
        assert all(line.startswith("same") for line in lines), (step, [x for x in lines if not x.startswith("same")])
        shutil.rmtree(full.parent)

    def current(self) -> set[str]:
        return {iid for (iid,) in query(self.warehouse, "select inspection_id from marts.inspections")}


def every(ids: set[str]) -> dict[str, set[str]]:
    return dict.fromkeys(INCREMENTAL, ids)


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scenario]:
    work = tmp_path_factory.mktemp("incremental")
    specs = plan(40, mix="text:1,markdown:1")
    s = Scenario(work, specs, Dbt(work / "dbt"))
    s.landing.mkdir()
    s.warehouse.parent.mkdir()
    for spec in specs[:30]:
        s.write(spec)
    outcome = s.refresh("build")
    assert outcome.success, outcome.failing()
    s.assert_equal_to_full_rebuild("first")
    assert s.rebuilt() == every({inspection_id(spec) for spec in specs[:30]})
    yield s


def test_the_corpus_ids_are_what_the_marts_call_them(scenario: Scenario) -> None:
    assert scenario.current() == {inspection_id(spec) for spec in scenario.specs[:30]}


def test_adds_changes_and_a_file_leaving_the_folder(scenario: Scenario) -> None:
    s, specs = scenario, scenario.specs
    for spec in specs[30:33]:
        s.write(spec)
    changed = dataclasses.replace(specs[0], fieldwork_start_date="2020-01-02")
    s.write(changed)
    (s.landing / specs[2].file_name).unlink()
    assert s.refresh().success
    s.assert_equal_to_full_rebuild("adds")
    ids = {inspection_id(spec) for spec in (*specs[30:33], specs[0], specs[2])}
    assert s.rebuilt() == every(ids)
    assert query(
        s.warehouse, f"select file_present from marts.inspections where inspection_id = '{inspection_id(specs[2])}'"
    ) == [(False,)]


def test_restore_replace_by_another_inspection_and_withdraw(scenario: Scenario) -> None:
    s, specs = scenario, scenario.specs
    s.write(specs[2])  # back in the folder
    s.write(specs[33], name=specs[1].file_name)  # the path now holds another inspection
    (s.landing / specs[4].file_name).write_bytes(JUNK)  # replaced by an unreadable file: its last good version stays
    assert s.refresh().success
    s.assert_equal_to_full_rebuild("replace")
    # specs[4] is rebuilt too: its rows are the same version's, now marked as kept (newer_file_rejected_*).
    assert s.rebuilt() == every({inspection_id(specs[2]), inspection_id(specs[33]), inspection_id(specs[4])})
    current = s.current()
    assert inspection_id(specs[1]) not in current and inspection_id(specs[4]) in current
    for mart in INCREMENTAL:
        assert query(
            s.warehouse, f"select count(*) from marts.{mart} where inspection_id = '{inspection_id(specs[1])}'"
        ) == [(0,)], mart
    assert query(
        s.warehouse,
        "select newer_file_rejected_at is not null, newer_file_rejected_reason is not null from marts.inspections "
        f"where inspection_id = '{inspection_id(specs[4])}'",
    ) == [(True, True)]

    # The same content back: no re-parse (already in raw), the same version key as before it was replaced.
    s.write(specs[4])
    assert s.refresh().success
    s.assert_equal_to_full_rebuild("restored")
    assert s.rebuilt() == every({inspection_id(specs[4])})


def test_a_second_version_wins_then_loses(scenario: Scenario) -> None:
    s, spec = scenario, scenario.specs[3]
    twin_format = "markdown" if spec.fmt == "text" else "text"
    twin = dataclasses.replace(
        spec, fmt=twin_format, file_name=f"twin-{spec.file_name}.{'md' if twin_format == 'markdown' else 'txt'}"
    )
    s.write(twin)
    assert s.refresh().success
    s.assert_equal_to_full_rebuild("twin-wins")
    assert s.rebuilt() == every({inspection_id(spec)})
    assert query(
        s.warehouse, f"select file_path from marts.inspections where inspection_id = '{inspection_id(spec)}'"
    ) == [(twin.file_name,)]

    # The twin's file becomes unreadable: its last good version is kept and still wins, marked.
    (s.landing / twin.file_name).write_bytes(JUNK)
    assert s.refresh().success
    s.assert_equal_to_full_rebuild("twin-kept")
    assert s.rebuilt() == every({inspection_id(spec)})
    assert query(
        s.warehouse,
        "select file_path, newer_file_rejected_at is not null from marts.inspections "
        f"where inspection_id = '{inspection_id(spec)}'",
    ) == [(twin.file_name, True)]

    s.write(s.specs[36], name=twin.file_name)  # the twin's path now holds another inspection: the first one wins
    assert s.refresh().success
    s.assert_equal_to_full_rebuild("twin-loses")
    assert s.rebuilt() == every({inspection_id(spec), inspection_id(s.specs[36])})
    assert query(
        s.warehouse, f"select file_path from marts.inspections where inspection_id = '{inspection_id(spec)}'"
    ) == [(spec.file_name,)]


def test_a_new_parser_version_rebuilds_every_inspection(scenario: Scenario, monkeypatch: pytest.MonkeyPatch) -> None:
    s = scenario
    monkeypatch.setattr(loader, "PARSER_VERSION", "next-parser")
    monkeypatch.setattr(rows_module, "PARSER_VERSION", "next-parser")
    assert s.refresh().success
    s.assert_equal_to_full_rebuild("reparse")
    assert s.rebuilt() == every(s.current())

    monkeypatch.undo()  # and back: every file parsed again by the parser in force
    assert s.refresh().success
    s.assert_equal_to_full_rebuild("reparse-back")
    assert s.rebuilt() == every(s.current())


def test_a_model_failing_half_way_leaves_mart_and_state_as_they_were(scenario: Scenario) -> None:
    s, specs = scenario, scenario.specs
    s.write(specs[34])
    changed = dataclasses.replace(specs[5], fieldwork_start_date="2020-03-04")
    s.write(changed)
    before = query(s.warehouse, f"select * from marts.ratings where inspection_id = '{inspection_id(specs[5])}'")
    # ratings and scores read this seed: they fail after their pre-hook deleted the changed inspection's rows.
    execute(s.warehouse, "alter table reference.standard_keys rename to standard_keys_away")
    outcome = s.refresh()
    assert not outcome.success
    assert {name for name, status in outcome.failing().items() if status == "error"} >= {"ratings", "scores"}
    assert (
        query(s.warehouse, f"select * from marts.ratings where inspection_id = '{inspection_id(specs[5])}'") == before
    )  # rolled back with its state
    rebuilt = s.rebuilt()
    assert rebuilt["ratings"] == rebuilt["scores"] == set()
    assert rebuilt["inspections"] == {inspection_id(specs[34]), inspection_id(specs[5])}

    execute(s.warehouse, "alter table reference.standard_keys_away rename to standard_keys")
    assert s.refresh().success
    s.assert_equal_to_full_rebuild("failed-model")
    rebuilt = s.rebuilt()
    assert rebuilt["ratings"] == rebuilt["scores"] == {inspection_id(specs[34]), inspection_id(specs[5])}
    assert rebuilt["inspections"] == set()


def _reparse_with_rating(warehouse: Path, spec: Spec, rating: str) -> None:
    """The current version of an inspection parsed again with another first rating (a new parsed_at)."""
    sha = f"(select content_sha256 from marts.inspections where inspection_id = '{inspection_id(spec)}')"
    execute(
        warehouse,
        f"update raw.standards set rating = '{rating}' where content_sha256 = {sha} and position = 1",
        f"update raw.reports set parsed_at = parsed_at + interval 1 minute where content_sha256 = {sha}",
    )


def test_bad_data_fails_its_test_until_it_is_fixed(scenario: Scenario) -> None:
    s, spec = scenario, scenario.specs[6]
    [(good,)] = query(
        s.warehouse,
        f"select rating from marts.ratings where inspection_id = '{inspection_id(spec)}' and standard_code = '1.1'",
    )
    _reparse_with_rating(s.warehouse, spec, "Superb")
    name = "relationships_ratings_rating__rating__ref_rating_scale_"
    outcome = s.refresh("build")
    assert outcome.statuses[name] == "fail" and not outcome.success
    assert s.rebuilt() == every({inspection_id(spec)})
    # Nothing changed since, so nothing is rebuilt: the restricted test still sees the untested bad row.
    outcome = s.refresh("build")
    assert outcome.statuses[name] == "fail"
    assert s.rebuilt() == every(set())

    _reparse_with_rating(s.warehouse, spec, good)
    outcome = s.refresh("build")
    assert outcome.success, outcome.failing()
    s.assert_equal_to_full_rebuild("bad-data-fixed")
    assert s.rebuilt() == every({inspection_id(spec)})
    assert query(s.warehouse, f"select count(*) from {STATE} where tested_by is null") == [(0,)]


def test_an_edited_seed_rebuilds_the_marts_that_read_it(scenario: Scenario, tmp_path: Path) -> None:
    s = scenario
    project = Path(shutil.copytree(DBT_DIR, tmp_path / "dbt_project", ignore=shutil.ignore_patterns("target", "logs")))
    keys = project / "seeds" / "standard_keys.csv"
    keys.write_text(keys.read_text().replace(",leadership\n", ",leadership_and_management\n"))
    edited = Dbt(tmp_path / "dbt", project_dir=project)
    outcome = s.refresh("build", dbt=edited)
    assert outcome.success, outcome.failing()
    s.assert_equal_to_full_rebuild("seed", dbt=edited)
    rebuilt = s.rebuilt()
    # standard_keys is upstream of ratings and scores only.
    assert rebuilt == {**every(set()), "ratings": s.current(), "scores": s.current()}
    assert (
        query(s.warehouse, "select count(*) from marts.ratings where standard_key = 'leadership_and_management'")[0][0]
        > 0
    )

    # Back to the project as it is: rebuilt again.
    assert s.refresh("build").success
    s.assert_equal_to_full_rebuild("seed-back")
    assert s.rebuilt() == {**every(set()), "ratings": s.current(), "scores": s.current()}


def test_full_refresh_rebuilds_everything_and_a_no_op_nothing(scenario: Scenario) -> None:
    s = scenario
    assert s.refresh("run", "--full-refresh").success
    assert s.rebuilt() == every(s.current())
    assert s.refresh().success
    s.assert_equal_to_full_rebuild("no-op")
    assert s.rebuilt() == every(set())
