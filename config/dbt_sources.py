"""The dbt project's own files: what dbt reads, never what it writes (target/, logs/).

Both the in-process dbt runner (is the parsed project still current?) and the serving fingerprint (did the
project change since the last publish?) need this list. Only the folders dbt reads are walked: target/ holds
hundreds of compiled files and partial-parse state, and walking it cost most of a fingerprint.
"""

from __future__ import annotations

from pathlib import Path

SOURCE_FOLDERS = ("models", "seeds", "macros", "tests", "snapshots", "analyses")


def dbt_source_files(project_dir: Path) -> list[Path]:
    """dbt_project.yml and the other files at the project's top level, then every file of the source folders."""
    top = [path for path in project_dir.iterdir() if path.is_file()]
    nested = [path for folder in SOURCE_FOLDERS for path in (project_dir / folder).rglob("*") if path.is_file()]
    return sorted(top + nested)
