"""The fetch manifest: one JSON file beside the reports recording what was fetched, keyed by report file URL."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, fields
from pathlib import Path

MANIFEST_NAME = ".fetch-manifest.json"  # a dot-file: the landing-folder scan ignores it
HISTORY_DIR = ".history"
VERSION = 1


@dataclass
class Entry:
    url: str  # the report file URL: the key (slugs collide between youth justice and PDU reports)
    page_url: str | None = None
    title: str = ""
    published: str | None = None  # ISO date
    etag: str | None = None
    last_modified: str | None = None
    sha256: str | None = None
    file: str | None = None  # name inside the landing folder
    size: int = 0
    fetched_at: str | None = None  # last time content was downloaded
    checked_at: str | None = None  # last time the server was asked
    status: str = "ok"  # ok | failed
    reason: str = ""
    history: list[str] | None = None  # earlier versions, relative to the landing folder

    @classmethod
    def from_dict(cls, data: dict) -> Entry:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write beside the target, fsync, then rename over it: readers see the old file or the new one, never half."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Manifest:
    def __init__(
        self, folder: Path, entries: dict[str, Entry] | None = None, listed: dict[str, dict] | None = None
    ) -> None:
        self.folder = folder
        self.entries: dict[str, Entry] = entries or {}
        # Every URL the listing showed, with what became of it (skipped ones too): lets the sensor spot new ones.
        self.listed: dict[str, dict] = listed or {}

    @property
    def path(self) -> Path:
        return self.folder / MANIFEST_NAME

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        path = folder / MANIFEST_NAME
        if not path.exists():
            return cls(folder)
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = {url: Entry.from_dict(item) for url, item in data.get("reports", {}).items()}
        return cls(folder, entries, data.get("listed", {}))

    def save(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        payload = {
            "version": VERSION,
            "reports": {url: asdict(e) for url, e in sorted(self.entries.items())},
            "listed": dict(sorted(self.listed.items())),
        }
        atomic_write_bytes(self.path, json.dumps(payload, indent=2, sort_keys=True).encode("utf-8"))

    def file_owner(self, name: str) -> str | None:
        """URL of the entry that owns landing file `name`, if any."""
        return next((url for url, e in self.entries.items() if e.file == name), None)

    def has_file(self, url: str) -> bool:
        entry = self.entries.get(url)
        return bool(entry and entry.file and (self.folder / entry.file).is_file())
