"""Reading one landing file safely: never through a link out of the folder, never an over-size file into memory."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ingestion.errors import ReportError
from ingestion.extract.limits import FileLimits


def read_landing_file(path: Path, root: Path, limits: FileLimits) -> tuple[bytes | None, str, int, str | None]:
    """(bytes or None when not read, sha256, size, reason it is quarantined unread).

    The path is resolved and checked again at reading time, and opened without following a link,
    so that a file swapped for a link after the scan is not read either (OSError). An over-size
    file is hashed in chunks, never held in memory, and quarantined with the limit it broke; its
    hash still lets the next run see that it is unchanged.
    """
    target = path.resolve()
    if not target.is_relative_to(root):
        raise OSError(f"resolves to {target}, outside the landing folder")
    fd = os.open(target, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        try:
            limits.check_size(size)
        except ReportError as error:
            digest = hashlib.sha256()
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
            return None, digest.hexdigest(), size, error.reason
        data = handle.read()
    return data, hashlib.sha256(data).hexdigest(), len(data), None
