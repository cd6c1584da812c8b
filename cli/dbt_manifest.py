"""Write dbt's manifest (`dbt parse`): dagster-dbt reads it when the definitions load.

Run by `make` and by the test fixtures; `dagster dev` alone would only do this through
`prepare_if_dev`, which other entry points never call.
"""

from __future__ import annotations

import os
import sys

from config.settings import DBT_PROJECT_DIR, warehouse_path


def prepare_manifest() -> None:
    from dbt.cli.main import dbtRunner

    os.environ.setdefault("PROBATION_WAREHOUSE", str(warehouse_path()))
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    # A full parse: it runs only when a file dbt reads changed (make), and dbt's partial parse has been seen
    # to keep the config of a singular test after a neighbouring test was deleted from the same YAML.
    args = ["parse", "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR), "--quiet"]
    result = dbtRunner().invoke([*args, "--no-partial-parse"])
    if not result.success:
        raise SystemExit(f"dbt parse failed: {result.exception}")
    # The next build starts from this parse (dagster-dbt copies it into the build's folder when none is there).
    (DBT_PROJECT_DIR / "target" / "build" / "partial_parse.msgpack").unlink(missing_ok=True)


if __name__ == "__main__":
    prepare_manifest()
    sys.exit(0)
