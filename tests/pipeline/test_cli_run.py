"""`inspections run`: a real command line, and wrong landing folders as errors that touch nothing."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from serving.publish import current_version, list_versions
from tests.conftest import ROOT, SAMPLE_FILES


@dataclass
class Built:
    root: Path
    landing: Path
    warehouse: Path
    home: Path

    def run(self, *args: str, landing: Path | None = None) -> subprocess.CompletedProcess:
        env = os.environ | {
            "PROBATION_REPORTS_DIR": str(landing or self.landing),
            "PROBATION_WAREHOUSE": str(self.warehouse),
            "PROBATION_FETCH": "0",
            "DAGSTER_HOME": str(self.home),
        }
        command = [sys.executable, "-m", "cli.main", "run", *args]
        return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_help_runs_nothing(tmp_path: Path) -> None:
    env = os.environ | {"PROBATION_WAREHOUSE": str(tmp_path / "w" / "probation.duckdb")}
    done = subprocess.run(
        [sys.executable, "-m", "cli.main", "run", "--help"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    for option in ("--force", "--reports DIR", "--warehouse PATH"):
        assert option in done.stdout
    assert not (tmp_path / "w").exists()  # no warehouse, no lock file: nothing ran


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, dbt_manifest: None) -> Built:
    root = tmp_path_factory.mktemp("cli")
    landing = root / "reports"
    landing.mkdir()
    for path in SAMPLE_FILES.values():
        shutil.copy(path, landing / path.name)
    project = Built(root, landing, root / "warehouse" / "probation.duckdb", root / "home")
    first = project.run()
    assert first.returncode == 0, (first.stdout + first.stderr)[-3000:]
    return project


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["missing", "a file"])
def test_a_wrong_landing_folder_fails_before_the_warehouse_is_touched(built: Built, kind: str) -> None:
    wrong = built.root / "no-such-folder"
    if kind == "a file":
        wrong = built.root / "reports.txt"
        wrong.write_text("not a folder\n")
    before = _digest(built.warehouse)
    done = built.run(landing=wrong)
    assert done.returncode == 2
    errors = done.stderr.strip().splitlines()
    assert len(errors) == 1 and str(wrong) in errors[0], done.stderr
    assert _digest(built.warehouse) == before
    assert "run:" not in done.stdout  # no summary of a run that never was


@pytest.mark.slow
def test_the_same_option_names_the_folder(built: Built) -> None:
    wrong = built.root / "elsewhere"
    done = built.run("--reports", str(wrong))
    assert done.returncode == 2 and f"landing folder {wrong} does not exist" in done.stderr


@pytest.mark.slow
def test_an_empty_landing_folder_keeps_the_inspections_and_says_so(built: Built) -> None:
    empty = built.root / "empty"
    empty.mkdir()
    done = built.run(landing=empty)
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    assert "landing folder is EMPTY: the 3 inspections read from earlier files are kept" in done.stdout
    assert "marts: inspections 3," in done.stdout
    # Said again by a refresh with nothing to do, which publishes nothing.
    versions = [v.id for v in list_versions(built.warehouse.parent)]
    again = built.run(landing=empty)
    assert "nothing changed since serving version" in again.stdout
    assert "landing folder is EMPTY" in again.stdout
    assert [v.id for v in list_versions(built.warehouse.parent)] == versions


@pytest.mark.slow
def test_force_publishes_a_new_version_when_nothing_changed(built: Built) -> None:
    built.run()  # whatever an earlier test left, the landing folder's files are loaded again
    before = current_version(built.warehouse.parent)
    assert "nothing changed since serving version" in built.run().stdout
    done = built.run("--force")
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    assert current_version(built.warehouse.parent).id != before.id
    assert "serving copy: published version" in done.stdout
