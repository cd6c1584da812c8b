"""Fixtures of the serving tests: a crafted working warehouse in a temporary folder, a throwaway PostgreSQL."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from serving.postgres import READER_ROLE
from tests.serving.marts_data import build_working_warehouse
from tests.serving.pg_server import PgServer, ServerUnavailable, start_server

OWNER = "probation_owner"  # the pipeline's role: owns what it publishes, no superuser, no CREATEROLE
BI_LOGIN = "bi_reader"
_DB_NUMBERS = itertools.count()


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    """Working warehouse at <tmp>/warehouse/probation.duckdb, so the serving dir is <tmp>/warehouse."""
    path = tmp_path / "warehouse" / "probation.duckdb"
    build_working_warehouse(path)
    return path


@pytest.fixture
def serving(warehouse: Path) -> Path:
    return warehouse.parent


@dataclass(frozen=True)
class PgDatabase:
    """A fresh database owned by the pipeline's (non-superuser) role, with the reader role's login member."""

    owner_url: str  # the pipeline connects with this
    reader_url: str  # a BI login, member of probation_reader
    admin_url: str  # superuser, for test set-up and for killing sessions


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """One throwaway PostgreSQL for the session: skipped with the reason when it cannot be started here."""
    try:
        server = start_server()
    except ServerUnavailable as exc:
        pytest.skip(f"no PostgreSQL server for the serving tests: {exc}")
    try:
        with psycopg.connect(server.url(), autocommit=True) as con:
            con.execute(f"CREATE ROLE {OWNER} LOGIN")
            con.execute(f"CREATE ROLE {READER_ROLE} NOLOGIN")
            con.execute(f"CREATE ROLE {BI_LOGIN} LOGIN IN ROLE {READER_ROLE}")
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_db(pg_server: PgServer) -> PgDatabase:
    """The recommended set-up (docs/serving.md): readers may connect, nothing else at database level."""
    name = f"probation_{next(_DB_NUMBERS)}"
    with psycopg.connect(pg_server.url(), autocommit=True) as con:
        con.execute(f"CREATE DATABASE {name} OWNER {OWNER}")
        con.execute(f"REVOKE ALL ON DATABASE {name} FROM PUBLIC")
        con.execute(f"GRANT CONNECT ON DATABASE {name} TO {READER_ROLE}")
    return PgDatabase(pg_server.url(OWNER, name), pg_server.url(BI_LOGIN, name), pg_server.url(dbname=name))
