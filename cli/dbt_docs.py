"""`make docs`: dbt's documentation site as one self-contained HTML file that opens from disk.

dbt's default `index.html` fetches manifest.json and catalog.json at load time, which browsers refuse
for pages opened as file://; `--static` embeds both into `static_index.html`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from config.settings import DBT_PROJECT_DIR, warehouse_path

STATIC_PAGE = "static_index.html"


class DocsError(RuntimeError):
    """dbt could not generate the documentation site."""


def generate_static_docs(warehouse: Path, target_dir: Path | None = None) -> Path:
    """Run `dbt docs generate --static` against `warehouse`; return the single-file site's path.

    The warehouse must have been built (the catalog lists the tables' columns and types from it).
    """
    if not warehouse.is_file():
        raise DocsError(f"no warehouse at {warehouse}: build it first (make run)")
    target = target_dir or DBT_PROJECT_DIR / "target"
    dbt = Path(sys.executable).parent / "dbt"
    command = [
        str(dbt) if dbt.exists() else "dbt",
        "docs",
        "generate",
        "--static",
        "--quiet",
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--target-path",
        str(target),
    ]
    env = {**os.environ, "PROBATION_WAREHOUSE": str(warehouse), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    page = target / STATIC_PAGE
    if result.returncode != 0 or not page.is_file():
        raise DocsError(f"dbt docs generate failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return page


def main() -> int:
    try:
        page = generate_static_docs(warehouse_path())
    except DocsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"dbt docs: open {page} in a browser (one file, works from disk), or: make docs-serve")
    return 0


if __name__ == "__main__":
    sys.exit(main())
