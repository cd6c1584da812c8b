"""File locks: one refresh at a time per warehouse, one process at a time creating a Dagster home.

A lock is `flock` on a file: the kernel releases it when its holder exits, however it exits (kill -9
included), so a crashed run never leaves a stale lock behind. The holder writes its pid into the
file so that the process that loses can say who holds it. No Dagster import here.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class RefreshAlreadyRunning(RuntimeError):
    """Another process holds the warehouse's refresh lock."""

    def __init__(self, pid: int | None) -> None:
        self.pid = pid
        super().__init__(f"another refresh is running (pid {pid if pid is not None else 'unknown'})")


def refresh_lock_path(warehouse: Path) -> Path:
    """Beside the warehouse file it guards: every process that refreshes it agrees on this path."""
    return warehouse.with_name(warehouse.name + ".refresh.lock")


def _holder_pid(fd: int) -> int | None:
    try:
        return int(os.pread(fd, 32, 0).decode().strip())
    except (OSError, ValueError):
        return None  # the holder has not written its pid yet


@contextmanager
def file_lock(path: Path, *, wait: bool) -> Iterator[None]:
    """Hold an exclusive lock on `path`; when not `wait`ing, raise RefreshAlreadyRunning if it is held."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise RefreshAlreadyRunning(_holder_pid(fd)) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


_held: dict[Path, int] = {}  # refresh locks this process holds, with how many holders
_held_guard = threading.Lock()


@contextmanager
def refresh_lock(warehouse: Path) -> Iterator[None]:
    """One refresh of `warehouse` at a time: a second process fails at once with the holder's pid.

    Re-entrant within a process: `inspections run` takes the lock before it creates the Dagster run, and the
    run's warehouse resource takes it again (orchestration/resources.py), as launched runs must.
    """
    path = refresh_lock_path(warehouse).resolve()
    with _held_guard:
        nested = path in _held
        if nested:
            _held[path] += 1
    if nested:
        try:
            yield
        finally:
            with _held_guard:
                _held[path] -= 1
        return
    with file_lock(path, wait=False):
        with _held_guard:
            _held[path] = 1
        try:
            yield
        finally:
            with _held_guard:
                del _held[path]


@contextmanager
def dagster_home_lock(home: Path) -> Iterator[None]:
    """Serialise the creation and first migration of a Dagster home's SQLite storage (waits its turn)."""
    with file_lock(home / ".instance.lock", wait=True):
        yield
