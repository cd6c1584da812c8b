"""The landing folder's report files: which are read, which are skipped and why (folder scan)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from ingestion.extract.formats import format_of


def landing_entries(reports_dir: Path) -> Iterator[tuple[Path, str | None]]:
    """Report files of the landing folder, each with the reason it is skipped (None: read it).

    Dot-files and dot-folders (fetch history, manifests) are left out. Symbolic links are never
    followed out of the folder: one resolving outside it (`x.txt -> /etc/passwd`) is skipped with a
    reason, so a landing folder cannot be used to read other files. Folder links are not walked.
    """
    root = reports_dir.resolve()
    for folder, subfolders, names in os.walk(reports_dir, followlinks=False):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        for name in sorted(names):
            path = Path(folder) / name
            if name.startswith(".") or format_of(path) is None:
                continue
            if path.is_symlink():
                target = path.resolve()
                if not target.is_relative_to(root):
                    yield path, f"symbolic link to {target}, outside the landing folder: not read"
                    continue
                if not target.is_file():
                    continue  # a broken link, or a link to a folder: nothing to read
            elif not path.is_file():
                continue
            yield path, None


def landing_files(reports_dir: Path) -> Iterator[Path]:
    """Report files in the landing folder that the loader reads."""
    return (path for path, skipped in landing_entries(reports_dir) if skipped is None)


class LandingFolderError(RuntimeError):
    """The landing folder is missing or cannot be read: nothing may be loaded from it."""


def check_landing_folder(reports_dir: Path) -> None:
    """Raise LandingFolderError, naming the folder, unless it is a folder this process can list and read.

    Called before the warehouse is opened: a wrong PROBATION_REPORTS_DIR must fail the refresh, never read as
    "every report left the folder".
    """
    if not reports_dir.exists():
        raise LandingFolderError(f"landing folder {reports_dir} does not exist")
    if not reports_dir.is_dir():
        raise LandingFolderError(f"landing folder {reports_dir} is not a folder")
    try:
        with os.scandir(reports_dir) as entries:
            next(entries, None)
    except OSError as error:
        raise LandingFolderError(f"landing folder {reports_dir} cannot be read: {error.strerror or error}") from None
