"""Every serving version is a Frictionless data package: real refreshes of the sample reports, validated.

One Dagster refresh of the three sample reports publishes the first version; editing one report and
refreshing again publishes the second. Broken packages are written by the same publish from a copy of the
refreshed working warehouse whose marts were damaged the way each Table Schema constraint guards.
"""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import frictionless
import pytest

from cli.main import main
from serving.publish import MART_TABLES, PublishedVersion, current_version, list_versions, publish
from serving.release.diff import Change, diff_versions
from serving.release.package import DESCRIPTOR, PACKAGE_DIR
from tests.pipeline.conftest import Project, _project

FRICTIONLESS = Path(sys.executable).with_name("frictionless")
EDITED = "dorset-2023-08"
OLD_NAME, NEW_NAME = "Shellie Adams", "Shelley Adams"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    from cli.dbt_manifest import prepare_manifest

    prepare_manifest()  # dagster-dbt reads dbt's manifest when the definitions load
    with _project(tmp_path_factory.mktemp("release")) as fresh:
        yield fresh


@pytest.fixture(scope="module")
def first(project: Project) -> PublishedVersion:
    assert project.run().success
    return current_version(project.warehouse.parent)


@pytest.fixture(scope="module")
def edited(project: Project, first: PublishedVersion) -> tuple[PublishedVersion, PublishedVersion]:
    """One report edited in the landing folder (its lead inspector's name), then a second refresh."""
    report = project.landing / f"{EDITED}.txt"
    text = report.read_text(encoding="utf-8")
    assert text.count(OLD_NAME) == 1
    report.write_text(text.replace(OLD_NAME, NEW_NAME), encoding="utf-8")
    assert project.run().success
    second = current_version(project.warehouse.parent)
    assert second.id != first.id
    return first, second


def validate(descriptor: Path) -> frictionless.Report:
    return frictionless.validate(str(descriptor))


def errors(report: frictionless.Report) -> list[tuple[str, str]]:
    return [(error[0], error[1]) for error in report.flatten(["type", "fieldName"])]


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_package_of_a_refresh_is_valid(first: PublishedVersion) -> None:
    descriptor = first.path / PACKAGE_DIR / DESCRIPTOR
    report = validate(descriptor)
    assert report.valid, report.flatten(["type", "note"])
    # The command-line validator agrees (what a user runs on a downloaded release).
    cli = subprocess.run([str(FRICTIONLESS), "validate", str(descriptor)], capture_output=True, text=True)
    assert cli.returncode == 0, cli.stdout + cli.stderr
    assert "INVALID" not in cli.stdout and "VALID" in cli.stdout

    package = json.loads(descriptor.read_text())
    names = [r["name"] for r in package["resources"]]
    assert names == [n for t in MART_TABLES for n in (t, f"{t}-parquet")] + ["sources", "changes"]
    assert package["version"] == first.id and package["licenses"][0]["name"] == "OGL-UK-3.0"
    assert "Open Government Licence v3.0" in package["attribution"]
    assert set(package["fingerprints"]) == {"parser_version", "parser_sha256", "dbt_project_sha256", "contract_sha256"}
    assert package["previous_version"] is None
    inspections = next(r for r in package["resources"] if r["name"] == "inspections")
    assert inspections["schema"]["primaryKey"] == ["inspection_id"]
    rating = next(f for f in inspections["schema"]["fields"] if f["name"] == "overall_rating")
    assert rating["constraints"]["enum"] == ["Good", "Inadequate", "Outstanding", "Requires improvement"]
    assert rating["description"].startswith("Published overall rating")
    scores = next(r for r in package["resources"] if r["name"] == "scores")
    assert {"fields": ["inspection_id"], "reference": {"resource": "inspections", "fields": ["inspection_id"]}} in (
        scores["schema"]["foreignKeys"]
    )


def test_sources_name_each_inspections_file_and_hash(first: PublishedVersion, project: Project) -> None:
    sources = read_csv(first.path / PACKAGE_DIR / "data" / "sources.csv")
    assert [s["inspection_id"] for s in sources] == sorted(
        r[0] for r in project.query("SELECT inspection_id FROM marts.inspections")
    )
    for source in sources:
        content = (project.landing / source["source_file"]).read_bytes()
        assert source["content_sha256"] == hashlib.sha256(content).hexdigest()
        assert source["url"] == ""  # copied into the landing folder, not fetched


def test_csv_and_parquet_hold_the_same_rows(first: PublishedVersion) -> None:
    data = first.path / PACKAGE_DIR / "data"
    with duckdb.connect() as con:
        for table in MART_TABLES:
            in_csv = len(read_csv(data / f"{table}.csv"))
            in_parquet = con.execute(
                "SELECT count(*) FROM read_parquet(?)", [str(data / f"{table}.parquet")]
            ).fetchone()
            assert in_csv == in_parquet[0] == first.row_counts[table], table


def republish(project: Project, tmp_path: Path, damage: str) -> Path:
    """Publish a copy of the refreshed working warehouse after `damage` (SQL on its marts); the package path."""
    working = tmp_path / "warehouse" / "probation.duckdb"
    working.parent.mkdir()
    shutil.copy(project.warehouse, working)
    if damage:
        with duckdb.connect(str(working)) as con:
            assert con.execute(damage).fetchone()[0] >= 1  # UPDATE and INSERT return the rows they changed
    version = publish(working, working.parent, MART_TABLES, [])
    return version.path / PACKAGE_DIR / DESCRIPTOR


@pytest.mark.parametrize(
    ("damage", "error", "field"),
    [
        pytest.param(
            "UPDATE marts.ratings SET inspection_id = 'nowhere-2020-01' WHERE standard_code = '1.1'",
            "foreign-key",
            None,
            id="rating-of-an-unknown-inspection",
        ),
        pytest.param(
            "UPDATE marts.scores SET pct_yes = 101 WHERE question_number = 1",
            "constraint-error",
            "pct_yes",
            id="percentage-above-100",
        ),
        pytest.param(
            "INSERT INTO marts.ratings SELECT * FROM marts.ratings WHERE standard_code = '1.1' LIMIT 1",
            "primary-key",
            None,
            id="rating-row-twice",
        ),
        pytest.param(
            "UPDATE marts.inspections SET overall_rating = 'Excellent' WHERE inspection_id = 'dorset-2023-08'",
            "constraint-error",
            "overall_rating",
            id="rating-not-on-the-scale",
        ),
    ],
)
def test_a_broken_package_fails_validation(
    first: PublishedVersion, project: Project, tmp_path: Path, damage: str, error: str, field: str | None
) -> None:
    report = validate(republish(project, tmp_path, damage))
    assert not report.valid
    found = errors(report)
    assert (error, field) in found if field else error in {e for e, _ in found}, found


def test_an_undamaged_copy_validates(first: PublishedVersion, project: Project, tmp_path: Path) -> None:
    """The control of the broken-package test: the same republish without damage is valid."""
    assert validate(republish(project, tmp_path, "")).valid


def test_fetched_url_is_recorded_only_for_the_bytes_fetched(
    first: PublishedVersion, project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    landing = tmp_path / "fetched"
    landing.mkdir()
    sha = {s["inspection_id"]: s["content_sha256"] for s in read_csv(first.path / PACKAGE_DIR / "data" / "sources.csv")}
    reports = {
        "https://example.test/doncaster.pdf": {
            "url": "https://example.test/doncaster.pdf",
            "sha256": sha["doncaster-2024-10"],
        },
        # Fetched, then edited by hand: the bytes are no longer what the URL served.
        "https://example.test/dorset.pdf": {"url": "https://example.test/dorset.pdf", "sha256": "0" * 64},
    }
    (landing / ".fetch-manifest.json").write_text(json.dumps({"version": 1, "reports": reports, "listed": {}}))
    monkeypatch.setenv("PROBATION_REPORTS_DIR", str(landing))
    descriptor = republish(project, tmp_path, "")
    urls = {s["inspection_id"]: s["url"] for s in read_csv(descriptor.parent / "data" / "sources.csv")}
    assert urls["doncaster-2024-10"] == "https://example.test/doncaster.pdf"
    assert urls["dorset-2023-08"] == ""
    assert validate(descriptor).valid


EXPECTED_CHANGES = [
    Change("source changed", EDITED, "inspections", f"inspection_id={EDITED}", "content_sha256"),
    Change("value changed", EDITED, "inspections", f"inspection_id={EDITED}", "lead_inspector", OLD_NAME, NEW_NAME),
]


def without_hashes(changes: list[Change]) -> list[Change]:
    return [
        Change(
            c.kind, c.inspection_id, c.table, c.key, c.field, *(() if c.kind == "source changed" else (c.old, c.new))
        )
        for c in changes
    ]


def test_editing_one_report_lists_exactly_that_change(
    edited: tuple[PublishedVersion, PublishedVersion], project: Project
) -> None:
    old, new = edited
    changes = diff_versions(old, new)
    assert without_hashes(changes) == EXPECTED_CHANGES
    new_sha = hashlib.sha256((project.landing / f"{EDITED}.txt").read_bytes()).hexdigest()
    assert changes[0].new == new_sha and changes[0].old != new_sha
    # The package of the new version carries the same list, as a resource and as CHANGES.md.
    package = new.path / PACKAGE_DIR
    rows = read_csv(package / "data" / "changes.csv")
    assert [(r["kind"], r["field"], r["old"], r["new"]) for r in rows] == [
        ("source changed", "content_sha256", changes[0].old, new_sha),
        ("value changed", "lead_inspector", OLD_NAME, NEW_NAME),
    ]
    markdown = (package / "CHANGES.md").read_text()
    assert (
        f"| source changed | {EDITED} | inspections | inspection_id={EDITED} | content_sha256 | {changes[0].old} | {new_sha} |"
        in markdown
    )
    assert f"Compared with version {old.id}." in markdown
    assert (
        f"| value changed | {EDITED} | inspections | inspection_id={EDITED} | lead_inspector | {OLD_NAME} | {NEW_NAME} |"
        in markdown
    )
    assert json.loads((package / DESCRIPTOR).read_text())["previous_version"] == old.id
    assert validate(package / DESCRIPTOR).valid


def test_serving_diff_command(edited: tuple[PublishedVersion, PublishedVersion], capsys: pytest.CaptureFixture) -> None:
    old, new = edited
    assert main(["serving", "diff"]) == 0
    default = capsys.readouterr().out
    assert default.startswith(f"# Changes in version {new.id}\n\nCompared with version {old.id}.")
    assert "- source changed: 1\n- value changed: 1\n" in default
    assert f"| lead_inspector | {OLD_NAME} | {NEW_NAME} |" in default
    assert main(["serving", "diff", old.id, new.id]) == 0
    assert capsys.readouterr().out == default
    assert main(["serving", "diff", new.id, new.id]) == 0
    assert "no value changed" in capsys.readouterr().out
    assert main(["serving", "diff", "19990101T000000.000000Z"]) == 1
    assert "unknown version" in capsys.readouterr().err


def test_serving_release_writes_a_zip_that_is_a_valid_package(
    edited: tuple[PublishedVersion, PublishedVersion], tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    old, new = edited
    assert main(["serving", "release", "--out", str(tmp_path / "out")]) == 0
    archive = tmp_path / "out" / f"hmi-probation-pdu-inspections-{new.id}.zip"
    assert str(archive) in capsys.readouterr().out
    with zipfile.ZipFile(archive) as opened:
        opened.extractall(tmp_path / "unzipped")
    report = validate(tmp_path / "unzipped" / DESCRIPTOR)
    assert report.valid, report.flatten(["type", "note"])
    assert "lead_inspector" in (tmp_path / "unzipped" / "CHANGES.md").read_text()
    assert main(["serving", "release", old.id, "--out", str(tmp_path / "out")]) == 0
    assert [v.id for v in list_versions(new.path.parent.parent)] == [old.id, new.id]
    assert len(list((tmp_path / "out").glob("*.zip"))) == 2
