"""sqlfluff (dbt templater, .sqlfluff at the repository root) is clean on the dbt models, so `make test` fails
on a lint error; and it does fail on one."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def sqlfluff_lint(root: Path, work: Path, *paths: str) -> subprocess.CompletedProcess[str]:
    """`sqlfluff lint` run from `root` as `make lint` runs it: offline, on a throwaway warehouse holding the
    seeds (recommendation_themes reads its patterns from one while it compiles), dbt's files kept in `work`."""
    env = {
        **os.environ,
        "PROBATION_WAREHOUSE": str(work / "lint.duckdb"),
        "DBT_TARGET_PATH": str(work / "target"),
        "DBT_LOG_PATH": str(work / "logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    project = ["--project-dir", "dbt_project", "--profiles-dir", "dbt_project"]
    seed = subprocess.run([BIN / "dbt", "seed", *project, "--quiet"], cwd=root, env=env, capture_output=True, text=True)
    assert seed.returncode == 0, seed.stdout + seed.stderr
    return subprocess.run([BIN / "sqlfluff", "lint", *paths], cwd=root, env=env, capture_output=True, text=True)


def test_the_dbt_models_are_lint_clean(tmp_path: Path) -> None:
    result = sqlfluff_lint(ROOT, tmp_path, "dbt_project/models")
    assert result.returncode == 0, result.stdout + result.stderr


# One broken model per rule, linted in one run (the dbt templater compiles the whole project each time).
BREAKAGES = {
    "stg_quarantine.sql": (("select\n", "SELECT\n"), "CP01"),  # an upper-case keyword
    "stg_findings.sql": (("    position,", "    position,  "), "LT01"),  # trailing whitespace
    "stg_reports.sql": (("select * from renamed", "select * from renamed as"), "PRS"),  # does not parse
}


def test_lint_errors_fail(tmp_path: Path) -> None:
    copy = tmp_path / "repo"
    shutil.copytree(ROOT / "dbt_project", copy / "dbt_project", ignore=shutil.ignore_patterns("target", "logs"))
    shutil.copy(ROOT / ".sqlfluff", copy / ".sqlfluff")
    for name, ((old, new), _) in BREAKAGES.items():
        model = copy / "dbt_project" / "models" / "staging" / name
        model.write_text(model.read_text().replace(old, new, 1))
    result = sqlfluff_lint(copy, tmp_path, *(f"dbt_project/models/staging/{name}" for name in BREAKAGES))
    assert result.returncode != 0
    for name, (_, rule) in BREAKAGES.items():
        failing = result.stdout.split(f"[dbt_project/models/staging/{name}] FAIL", 1)
        assert len(failing) == 2 and rule in failing[1].split("== [")[0], f"{name}: {rule}\n{result.stdout}"
