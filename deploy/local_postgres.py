"""The deployment's own PostgreSQL server, for when DAGSTER_POSTGRES_URL names none: Debian's `postgresql`
binaries, a cluster under $DAGSTER_HOME/postgres, listening on 127.0.0.1 only, password-protected.

Created on the first `make deploy`, started on each, stopped by `make deploy-stop`. initdb and pg_ctl refuse to
run as root, so as root they run as the `postgres` system user, who owns the cluster's folder.
"""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import psycopg

from config.ports import free_port

SUPERUSER = "postgres"
DATABASE = "dagster"


class PostgresError(RuntimeError):
    """The local server could not be created, started or stopped; the message says why."""


def server_bin_dir() -> Path:
    """initdb's folder: on PATH, else the newest Debian /usr/lib/postgresql/<major>/bin."""
    if found := shutil.which("initdb"):
        return Path(found).resolve().parent
    majors = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if not majors:
        raise PostgresError("PostgreSQL server binaries not found: `make postgres` installs Debian's postgresql")
    return Path(majors[-1]).parent


@dataclass
class LocalPostgres:
    home: Path  # the deployment's DAGSTER_HOME

    @property
    def root(self) -> Path:
        return self.home / "postgres"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def url_file(self) -> Path:
        """The server's URL with its password; readable by the deploying user only."""
        return self.home / "postgres.url"

    @property
    def log_file(self) -> Path:
        return self.root / "server.log"

    def _call(self, *args: str) -> subprocess.CompletedProcess:
        command = [str(server_bin_dir() / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", SUPERUSER, "--", *command]
        # cwd: the postgres user may not be allowed into the folder make runs in.
        return subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=self.root)

    def _run(self, *args: str) -> None:
        done = self._call(*args)
        if done.returncode != 0:
            raise PostgresError(f"{args[0]} failed ({done.returncode}): {(done.stderr or done.stdout).strip()}")

    def _create_cluster(self, port: int) -> str:
        self.root.mkdir(parents=True, exist_ok=True)
        password = secrets.token_urlsafe(24)
        pwfile = self.root / "initdb.pw"
        pwfile.write_text(password)
        pwfile.chmod(0o600)
        if os.geteuid() == 0:
            account = pwd.getpwnam(SUPERUSER)
            for path in (self.root, pwfile):
                os.chown(path, account.pw_uid, account.pw_gid)
            self.root.chmod(0o700)
        try:
            self._run(
                "initdb",
                "-D",
                str(self.data_dir),
                "-U",
                SUPERUSER,
                f"--pwfile={pwfile}",
                "--auth-host=scram-sha-256",
                "--auth-local=peer",
                "-E",
                "UTF8",
                "--no-locale",
            )
        except PostgresError as exc:
            raise PostgresError(
                f"{exc}\n(as root, the `postgres` user must be able to enter every folder above {self.root}; "
                "put DAGSTER_HOME elsewhere or set DAGSTER_POSTGRES_URL)"
            ) from None
        finally:
            pwfile.unlink(missing_ok=True)
        # TCP on the loopback only; no unix socket, whose path length limit a deep DAGSTER_HOME would exceed.
        settings = f"\nlisten_addresses = '127.0.0.1'\nport = {port}\nunix_socket_directories = ''\n"
        with (self.data_dir / "postgresql.conf").open("a") as conf:
            conf.write(settings)
        url = f"postgresql://{SUPERUSER}:{password}@127.0.0.1:{port}/{DATABASE}"
        self.url_file.touch(mode=0o600)
        self.url_file.write_text(url + "\n")
        return url

    def start(self, port: int | None = None) -> str:
        """Create the cluster the first time, start it, create the database; return its URL."""
        if self.url_file.exists() and (self.data_dir / "PG_VERSION").exists():
            url = self.url_file.read_text().strip()
        else:
            url = self._create_cluster(port or free_port())
        if not self.running():
            self._run("pg_ctl", "-D", str(self.data_dir), "-l", str(self.log_file), "-w", "-t", "60", "start")
        self._create_database(url)
        return url

    def _create_database(self, url: str) -> None:
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True, connect_timeout=10) as con:
            if not con.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)).fetchone():
                con.execute(f"CREATE DATABASE {DATABASE}")

    def running(self) -> bool:
        """pg_ctl's answer, not the pid file's presence: a killed server leaves its pid file behind."""
        return (self.data_dir / "PG_VERSION").exists() and self._call(
            "pg_ctl", "-D", str(self.data_dir), "status"
        ).returncode == 0

    def postmaster_pid(self) -> int | None:
        try:
            return int((self.data_dir / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def stop(self) -> None:
        if self.running():
            # "fast": open sessions are disconnected, committed data is kept (checkpoint on shutdown).
            self._run("pg_ctl", "-D", str(self.data_dir), "-m", "fast", "-w", "-t", "60", "stop")
