"""A seed's fingerprint (orchestration/seed_state.py) follows everything that decides what its load writes, and
nothing else: a seed is reloaded when its own CSV, config or tests change, and only then."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from config.settings import DBT_PROJECT_DIR
from orchestration.dbt_inprocess import ParsedProject
from orchestration.seed_state import plan_seeds

pytestmark = pytest.mark.slow


def fingerprints(project: Path) -> dict[str, str]:
    plan = plan_seeds(ParsedProject(project, project).manifest())
    return {uid.rsplit(".", 1)[-1]: seed.fingerprint for uid, seed in plan.seeds.items()}


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PROBATION_WAREHOUSE", str(tmp_path / "warehouse" / "probation.duckdb"))
    return Path(
        shutil.copytree(DBT_PROJECT_DIR, tmp_path / "dbt_project", ignore=shutil.ignore_patterns("target", "logs"))
    )


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {name for name in before if before[name] != after[name]}


def test_a_seed_fingerprint_follows_its_csv_config_and_tests(project: Path) -> None:
    original = fingerprints(project)
    assert len(original) == 8 and fingerprints(project) == original  # stable for the same project

    edit(project / "seeds" / "regions.csv", "East Midlands", "East Midlands ")
    after_csv = fingerprints(project)
    assert changed(original, after_csv) == {"regions"}

    seeds_yml = project / "seeds" / "_seeds.yml"
    edit(
        seeds_yml, "column_types: {alias: varchar, pdu_name: varchar}", "column_types: {alias: text, pdu_name: varchar}"
    )
    after_types = fingerprints(project)
    assert changed(after_csv, after_types) == {"pdu_aliases"}

    keys_types = "column_types: {framework: varchar, standard_code: varchar, standard_key: varchar}"
    edit(seeds_yml, keys_types, f"quote_columns: true\n      {keys_types}")
    after_quote = fingerprints(project)
    assert changed(after_types, after_quote) == {"standard_keys"}

    # A test added to a seed: the seed is reloaded so that the test runs.
    edit(
        seeds_yml,
        "description: Readable theme name.\n",
        "description: Readable theme name.\n        data_tests: [not_null]\n",
    )
    assert changed(after_quote, fingerprints(project)) == {"key_question_themes"}
