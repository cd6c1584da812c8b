"""Fixtures of the serving tests: a crafted working warehouse in a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.serving.marts_data import build_working_warehouse


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    """Working warehouse at <tmp>/warehouse/probation.duckdb, so the serving dir is <tmp>/warehouse."""
    path = tmp_path / "warehouse" / "probation.duckdb"
    build_working_warehouse(path)
    return path


@pytest.fixture
def serving(warehouse: Path) -> Path:
    return warehouse.parent
