"""Safe file names and crash-safe placement of downloaded reports in the landing folder."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .manifest import HISTORY_DIR, Manifest

MAX_STEM = 80
EXTENSIONS = {"pdf", "html"}


def short_hash(text: str, n: int = 8) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:n]


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by "-": no dots, slashes or anything a path could be built from."""
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))[:MAX_STEM].strip("-")


def file_name_for(url: str, kind: str, manifest: Manifest) -> str:
    """A safe, unique landing-folder name for the report at `url`; stable once recorded in the manifest.

    Built from the last URL path segment; a short hash of the URL is added when another URL (or a file the
    manifest does not know) already uses the name, so two reports never overwrite each other.
    """
    entry = manifest.entries.get(url)
    if entry and entry.file:
        return entry.file
    ext = kind if kind in EXTENSIONS else "bin"
    last = unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1])
    if last.lower().endswith(f".{ext}"):
        last = last[: -len(ext) - 1]
    stem = slugify(last) or "report"
    name = f"{stem}.{ext}"
    owner = manifest.file_owner(name)
    if (owner is not None and owner != url) or (owner is None and (manifest.folder / name).exists()):
        name = f"{stem}-{short_hash(url)}.{ext}"
    if Path(name).name != name or name.startswith("."):
        raise ValueError(f"unsafe file name {name!r}")  # cannot happen after slugify; a guard, not a branch
    return name


def _fsync_dir(folder: Path) -> None:
    # Make the rename itself durable; not every platform lets a folder be opened.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def keep_previous(folder: Path, name: str, old_sha256: str | None) -> str | None:
    """Copy the current `name` to .history/<stem>.<sha8>.<ext> before a new version replaces it.

    A copy (hard link where possible), not a move: the current file stays in place until os.replace swaps it.
    """
    current = folder / name
    if not current.is_file():
        return None
    stem, _, ext = name.rpartition(".")
    history = folder / HISTORY_DIR
    history.mkdir(exist_ok=True)
    target = history / f"{stem}.{(old_sha256 or short_hash(name))[:8]}.{ext}"
    if not target.exists():
        try:
            os.link(current, target)
        except OSError:
            shutil.copy2(current, target)
    return f"{HISTORY_DIR}/{target.name}"


def install(tmp: Path, folder: Path, name: str) -> None:
    """Atomically put a fully written temporary file (same folder, already fsynced) in place."""
    os.replace(tmp, folder / name)
    _fsync_dir(folder)
