"""Public APIs only: no module of the project imports a private module of a library.

Private means a module path with a part starting with "_" (dagster._core, ...), any dagster_dbt module below
its top-level package, and any dbt module but dbt's documented programmatic entry point `dbt.cli.main`
(dbt-core and dbt-duckdb internals change with every release). Dagster instance files are scanned too: a
`module:` there is an import by another name.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("config", "ingestion", "expectations", "serving", "orchestration", "cli", "bench", "tests", "deploy")
ALLOWED_DBT = {"dbt.cli.main"}


def private(module: str) -> bool:
    parts = module.split(".")
    if parts[0] in PACKAGES:
        return False  # the project's own modules: its names, its rules
    if any(part.startswith("_") for part in parts) and module != "__future__":
        return True
    if parts[0] == "dagster_dbt":
        return len(parts) > 1
    return parts[0] == "dbt" and module not in ALLOWED_DBT


def imported_modules(source: str) -> list[str]:
    modules = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.append(node.module)
            # `from dagster import _core` imports a private module as surely as `import dagster._core`
            modules += [f"{node.module}.{alias.name}" for alias in node.names if alias.name.startswith("_")]
    return modules


def project_files(suffix: str) -> list[Path]:
    return sorted(path for package in PACKAGES for path in (ROOT / package).rglob(f"*{suffix}") if path.is_file())


def private_imports() -> list[str]:
    found = []
    for path in project_files(".py"):
        for module in imported_modules(path.read_text(encoding="utf-8")):
            if private(module):
                found.append(f"{path.relative_to(ROOT)}: {module}")
    for path in [*project_files(".yaml"), ROOT / "workspace.yaml"]:
        for module in re.findall(r"^\s*module(?:_name)?:\s*(\S+)", path.read_text(encoding="utf-8"), re.M):
            if private(module):
                found.append(f"{path.relative_to(ROOT)}: {module}")
    return found


def test_no_private_module_is_imported_anywhere() -> None:
    assert private_imports() == []


@pytest.mark.parametrize(
    "source",
    [
        "from dagster._core.events import DagsterEvent",
        "import dagster._core.storage",
        "from dagster import _check",
        "from dagster_dbt.asset_utils import get_manifest_and_translator_from_dbt_assets",
        "from dbt.adapters.duckdb.connections import DuckDBConnectionManager",
        "def f():\n    from great_expectations._docs_decorators import public_api\n",
    ],
)
def test_the_scan_finds_each_kind_of_private_import(source: str) -> None:
    assert any(private(module) for module in imported_modules(source))


@pytest.mark.parametrize(
    "source",
    [
        "from dagster import asset",
        "from dagster_dbt import DbtCliResource",
        "from dbt.cli.main import dbtRunner",
        "from serving.publish import _switch",
    ],
)
def test_public_imports_pass(source: str) -> None:
    assert not any(private(module) for module in imported_modules(source))
