"""The throwaway server's own failure path: without PostgreSQL the tests skip with a reason that says what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.serving.pg_server import ServerUnavailable, find_bin_dir


def test_missing_binaries_give_a_reason_naming_the_make_target(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no initdb on PATH
    with pytest.raises(ServerUnavailable, match=r"initdb\) not found; `make postgres` installs"):
        find_bin_dir(debian_glob=str(tmp_path / "postgresql" / "*" / "bin" / "initdb"))


def test_the_newest_debian_major_version_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    for major in ("9", "15", "16"):
        (tmp_path / "postgresql" / major / "bin").mkdir(parents=True)
        (tmp_path / "postgresql" / major / "bin" / "initdb").touch()
    found = find_bin_dir(debian_glob=str(tmp_path / "postgresql" / "*" / "bin" / "initdb"))
    assert found == tmp_path / "postgresql" / "16" / "bin"
