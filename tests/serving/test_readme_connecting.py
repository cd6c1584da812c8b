"""The README's "Connecting" blocks, run as written against a published serving copy.

Each block is read from README.md itself, so the test follows the text a BI user copies. The blocks run in a
folder laid out as the project's (`warehouse/` = the serving copy, `.venv` = the project's environment); the
Python ones also run in a fresh virtual environment made with the README's own `pip install` lines.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from serving.publish import MART_TABLES, publish
from tests.serving.marts_data import INSPECTIONS

ROOT = Path(__file__).resolve().parents[2]
# Printed after a Python block has run: what it read, so a block that reads nothing fails.
CHECK_PANDAS = '\nprint(type(ratings).__name__, len(ratings), sorted(ratings["pdu_name"].unique()))\n'
CHECK_SQLALCHEMY = '\nprint(len(inspections), [c["name"] for c in columns][:2])\n'


def connecting_blocks() -> dict[str, str]:
    """The fenced blocks of the README's Connecting list, keyed by what they are."""
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("Connecting (always read-only") : readme.index("`make docs` generates")]
    blocks: dict[str, str] = {}
    for _indent, lang, body in re.findall(r"^( *)```(\w+)\n(.*?)^\1```", section, re.MULTILINE | re.DOTALL):
        code = textwrap.dedent(body)
        if lang == "bash":
            kind = "install" if code.startswith("pip install") else "cli"
        else:
            kind = "sqlalchemy" if "sqlalchemy" in code else "python"
        assert kind not in blocks, f"two {kind} blocks in the README's Connecting list"
        blocks[kind] = code
    assert set(blocks) == {"cli", "python", "install", "sqlalchemy"}, sorted(blocks)
    return blocks


@pytest.fixture
def project(warehouse: Path, serving: Path, tmp_path: Path) -> Path:
    """A folder where the README's relative paths resolve: warehouse/ (published) and the project's .venv."""
    publish(warehouse, serving, MART_TABLES, [])
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "warehouse").symlink_to(serving)
    (folder / ".venv").symlink_to(ROOT / ".venv")
    return folder


def run(args: list[str], cwd: Path, timeout: int = 120) -> str:
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


PDUS = sorted(row[1] for row in INSPECTIONS)


def test_duckdb_cli_block(project: Path) -> None:
    if not (ROOT / ".venv" / "bin" / "duckdb").exists():
        pytest.skip("duckdb-cli not installed in .venv (make install adds it)")
    out = run(["bash", "-c", connecting_blocks()["cli"]], project)
    assert all(pdu in out for pdu in PDUS) and "Inadequate" in out


def test_python_and_sqlalchemy_blocks_in_the_project_venv(project: Path) -> None:
    blocks = connecting_blocks()
    out = run([sys.executable, "-c", blocks["python"] + CHECK_PANDAS], project)
    assert out.strip() == f"DataFrame 25 {PDUS}"
    out = run([sys.executable, "-c", blocks["sqlalchemy"] + CHECK_SQLALCHEMY], project)
    assert out.strip() == "3 ['inspection_id', 'pdu_name']"


@pytest.mark.slow  # a fresh virtual environment from the package registry: about 20 s
def test_blocks_in_a_fresh_venv_with_the_readme_install_line(project: Path, tmp_path: Path) -> None:
    blocks = connecting_blocks()
    venv = tmp_path / "bi-venv"
    run([sys.executable, "-m", "venv", str(venv)], tmp_path)
    pip = [str(venv / "bin" / "python"), "-m", "pip"]
    install = subprocess.run(
        ["bash", "-c", blocks["install"]],
        cwd=tmp_path,
        env={"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(Path.home())},
        capture_output=True,
        text=True,
        timeout=600,
    )
    # Skipped only when the registry cannot be reached; an install line that cannot be resolved fails.
    offline = r"NewConnectionError|Failed to establish a new connection|name resolution|Network is unreachable"
    if install.returncode != 0 and re.search(offline, install.stderr):
        pytest.skip(f"package registry unreachable: {install.stderr.strip().splitlines()[-1]}")
    assert install.returncode == 0, install.stderr[-3000:]
    assert run([*pip, "show", "sqlalchemy"], tmp_path).count("Version: 2.0.") == 1  # the pin, not 2.1

    python = str(venv / "bin" / "python")
    out = run([python, "-c", blocks["python"] + CHECK_PANDAS], project)
    assert out.strip() == f"DataFrame 25 {PDUS}"
    out = run([python, "-c", blocks["sqlalchemy"] + CHECK_SQLALCHEMY], project)
    assert out.strip() == "3 ['inspection_id', 'pdu_name']"
