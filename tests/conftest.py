"""Shared fixtures: the bundled sample reports (real HMI Probation reports, OGL v3.0)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "reports"
SAMPLE_FILES = {
    "dorset": SAMPLES / "dorset-2023-08.txt",
    "portsmouth": SAMPLES / "portsmouth-and-the-isle-of-wight-2023-07.txt",
    "doncaster": SAMPLES / "doncaster-2024-10.txt",
}


@pytest.fixture(scope="session")
def sample_files() -> dict[str, Path]:
    return dict(SAMPLE_FILES)
