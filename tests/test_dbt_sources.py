"""The dbt project's own files (config/dbt_sources.py): what the serving fingerprint and the in-process runner
watch. What dbt writes (target/, logs/) must never count as a change of the project."""

from __future__ import annotations

from pathlib import Path

from config.dbt_sources import dbt_source_files
from config.settings import DBT_PROJECT_DIR


def _write(path: Path, text: str = "x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_source_files_are_what_dbt_reads_and_never_what_it_writes(tmp_path: Path) -> None:
    expected = [
        _write(tmp_path / "dbt_project.yml"),
        _write(tmp_path / "macros" / "m.sql"),
        _write(tmp_path / "models" / "marts" / "a.sql"),
        _write(tmp_path / "models" / "marts" / "a.yml"),
        _write(tmp_path / "profiles.yml"),
        _write(tmp_path / "seeds" / "s.csv"),
        _write(tmp_path / "tests" / "t.sql"),
    ]
    _write(tmp_path / "target" / "compiled" / "a.sql")
    _write(tmp_path / "target" / "partial_parse.msgpack")
    _write(tmp_path / "logs" / "dbt.log")
    assert dbt_source_files(tmp_path) == sorted(expected)


def test_the_real_project_lists_its_models_and_config() -> None:
    files = {path.relative_to(DBT_PROJECT_DIR).as_posix() for path in dbt_source_files(DBT_PROJECT_DIR)}
    assert {"dbt_project.yml", "profiles.yml"} <= files
    assert any(name.startswith("models/marts/") and name.endswith(".sql") for name in files)
    assert not any(name.startswith(("target/", "logs/")) for name in files)
