"""Which version BI tools read now, against the newest one built: a rollback pins the serving copy.

A rollback points the serving copy at an older version and leaves it there: a refresh with nothing new
publishes nothing, so BI tools would keep reading the older version without anyone saying so. This module
is the one place that tells (used by `inspections serving status` and `make run`'s summary).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from expectations.data_docs import OVERVIEW
from serving.publish import DATA_DOCS, PublishedVersion, PublishError, current_version, list_versions, rollback


@dataclass(frozen=True)
class ServingStatus:
    current: PublishedVersion | None
    latest: PublishedVersion | None  # the newest version built and kept

    @property
    def pinned(self) -> bool:
        """True when BI tools read an older version than the newest one built (after a rollback)."""
        return self.current is not None and self.latest is not None and self.current.id != self.latest.id

    def data_docs_line(self) -> str:
        """Where the current version's Data Docs (the GX validation that cleared it) are, for `serving status`."""
        if self.current is None:
            return "data docs: nothing published yet"
        page = self.current.path / DATA_DOCS / OVERVIEW
        if not page.is_file():
            return f"data docs: none for version {self.current.id} (published without the GX checks)"
        return f"data docs: {page} (the GX validation that cleared version {self.current.id})"

    def pinned_message(self) -> str:
        return (
            f"serving copy is PINNED to version {self.current.id} (rolled back; newest built is "
            f"{self.latest.id}): BI tools read the older version; `inspections serving latest` goes back"
        )


def serving_status(serving_dir: Path) -> ServingStatus:
    versions = list_versions(serving_dir)
    return ServingStatus(current=current_version(serving_dir), latest=versions[-1] if versions else None)


def back_to_latest(serving_dir: Path) -> PublishedVersion:
    """Point the serving copy at the newest version built (undo rollbacks)."""
    status = serving_status(serving_dir)
    if status.latest is None:
        raise PublishError(f"nothing published in {serving_dir} yet")
    return rollback(serving_dir, status.latest.id)
