"""Worker processes of this project: `python -m <module>` of this checkout, with the caller's environment.

The parse workers (ingestion/load/parse_pool.py) start a fresh interpreter that imports only what it needs. The project root goes first on PYTHONPATH so that the worker runs
this checkout's code even when the project is not installed, or another checkout is.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from config.settings import PROJECT_ROOT


def start_project_module(module: str, **popen: Any) -> subprocess.Popen[bytes]:
    """Popen of `python -m module` with this interpreter; `popen` adds pipes, cwd and the like."""
    path = os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")]))
    return subprocess.Popen([sys.executable, "-m", module], env=os.environ | {"PYTHONPATH": path}, **popen)
