from __future__ import annotations

import pytest

from tests.dbt.warehouse_fixtures import Built, shared_build


@pytest.fixture(scope="session")
def built() -> Built:
    """The crafted sample (three seed reports, a duplicate format, a superseded version, a removed file,
    a quarantined file) through `dbt build`."""
    return shared_build()
