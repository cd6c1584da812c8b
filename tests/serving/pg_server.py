"""A throwaway PostgreSQL server for tests and the switch-lock benchmark (Debian's `postgresql` binaries).

`initdb` in a temporary folder, `pg_ctl start` on a free port listening on 127.0.0.1 only (and a unix
socket inside the folder), stopped and deleted by `stop()`. initdb and pg_ctl refuse to run as root,
so as root they run as the `postgres` system user (via runuser) in a folder that user owns.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from config.ports import free_port

SUPERUSER = "postgres"


class ServerUnavailable(RuntimeError):
    """PostgreSQL cannot be started here; the message says why (tests skip with it)."""


def find_bin_dir(debian_glob: str = "/usr/lib/postgresql/*/bin/initdb") -> Path:
    """Folder of initdb/pg_ctl: on PATH, else the newest /usr/lib/postgresql/<major>/bin (Debian layout)."""
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).resolve().parent
    candidates = sorted(glob.glob(debian_glob), key=lambda p: int(Path(p).parts[-3]))
    if not candidates:
        raise ServerUnavailable(
            "PostgreSQL server binaries (initdb) not found; `make postgres` installs Debian's postgresql"
        )
    return Path(candidates[-1]).parent


@dataclass
class PgServer:
    root: Path
    port: int
    bin_dir: Path

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def url(self, user: str = SUPERUSER, dbname: str = "postgres") -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{dbname}"

    def _run(self, *args: str) -> None:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", SUPERUSER, "--", *command]
        # cwd: the postgres user may not be allowed into the checkout folder.
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=self.root)
        if done.returncode != 0:
            raise ServerUnavailable(
                f"{args[0]} failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}"
            )

    def start(self) -> None:
        self._run("initdb", "-D", str(self.data_dir), "-U", SUPERUSER, "-A", "trust", "-E", "UTF8", "--no-locale")
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.root} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data_dir),
            "-l",
            str(self.root / "server.log"),
            "-w",
            "-t",
            "60",
            "-o",
            options,
            "start",
        )

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def start_server() -> PgServer:
    """Start a fresh server; raise ServerUnavailable with the reason when this machine cannot."""
    bin_dir = find_bin_dir()
    root = Path(tempfile.mkdtemp(prefix="probation-pg-"))
    if os.geteuid() == 0:
        try:
            account = pwd.getpwnam(SUPERUSER)
        except KeyError as exc:
            shutil.rmtree(root, ignore_errors=True)
            raise ServerUnavailable("running as root and there is no `postgres` system user to run initdb as") from exc
        os.chown(root, account.pw_uid, account.pw_gid)
    server = PgServer(root=root, port=free_port(), bin_dir=bin_dir)
    try:
        server.start()
    except ServerUnavailable:
        shutil.rmtree(root, ignore_errors=True)
        raise
    return server
