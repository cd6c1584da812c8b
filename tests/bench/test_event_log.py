"""bench/event_log.py measures each storage class it names (the swapped dagster.yaml really loads it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.event_log import PROJECT, STOCK, ms_per_event


@pytest.mark.parametrize("storage", [STOCK, PROJECT], ids=["dagster", "project"])
def test_each_storage_class_is_the_one_measured(tmp_path: Path, storage: tuple[str, str]) -> None:
    module, cls = storage
    assert ms_per_event(tmp_path, module, cls, events=3) > 0  # asserts the instance's class inside


def test_a_class_the_home_does_not_load_is_refused(tmp_path: Path) -> None:
    with pytest.raises(Exception):  # noqa: B017, PT011 - Dagster's error for an unknown class, or the assertion
        ms_per_event(tmp_path, "dagster._core.storage.event_log", "NoSuchEventLogStorage", events=1)
