"""The worker window: files parsed ahead by the pool (or here), their rows written in landing-folder order."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from ingestion.extract.limits import FileLimits
from ingestion.load.change_plan import Plan, Scanned, read_into
from ingestion.load.parse_pool import ParsePool
from ingestion.load.parse_step import ParseOutcome, parse_one
from ingestion.load.raw_writes import Batch, quarantine_row, report_file_row
from ingestion.load.rows import Row

# Below this much estimated parsing the files are parsed in the sync's own process: starting a worker
# costs ~0.3 s of one core (docs/parallel_parsing.md), more than a parallel parse would save.
POOL_MIN_WORK_S = 1.0
# How far the pool may run ahead of the file being written (rows are written in landing order). Wide
# enough that a slow PDF at the head (~150 ms, 70x a text report) does not leave the other workers
# idle; the bytes of the files in flight are capped too, so memory stays bounded whatever the sizes.
WINDOW_PER_WORKER = 32
WINDOW_BYTES = 64 * 2**20


class Reader:
    """Reads files for parsing and parses them: in this process, or through the pool."""

    def __init__(self, root: Path, limits: FileLimits, pool: ParsePool | None) -> None:
        self.root, self.limits, self.pool = root, limits, pool
        self.window = WINDOW_PER_WORKER * pool.size if pool else 0
        self._keys = 0

    def read(self, item: Scanned) -> bytes | None:
        return read_into(item, self.root, self.limits)

    def submit(self, item: Scanned, data: bytes) -> None:
        assert self.pool is not None
        self._keys += 1
        item.key = self._keys
        self.pool.submit(item.key, item.path, item.relative, data)

    def outcome(self, item: Scanned, data: bytes | None) -> ParseOutcome:
        """The parse of `item`: from the pool when submitted, else now (from `data`, just read)."""
        if item.key is None and self.pool is not None and data is not None:
            self.submit(item, data)
        if item.key is not None:
            assert self.pool is not None
            return self.pool.result(item.key)
        assert data is not None
        return parse_one(item.path, item.relative, data, self.limits)


def sync_in_order(batch: Batch, items: list[Scanned], plan: Plan, reader: Reader, now: datetime) -> None:
    """Write every file's rows in landing order, the pool parsing up to `reader.window` files ahead."""
    pending: deque[Scanned] = deque()
    in_flight: dict[str, int] = {}  # hash -> size of the files in the pool; a second copy waits for the first

    def full() -> bool:
        return len(in_flight) >= reader.window or sum(in_flight.values()) >= WINDOW_BYTES

    for item in items:
        if reader.window and plan.to_parse(item) and item.sha not in in_flight:
            data = reader.read(item)  # the hash may differ from the scan's: the file changed in between
            if data is not None and plan.to_parse(item) and item.sha not in in_flight:
                reader.submit(item, data)
                in_flight[item.sha] = len(data)
        pending.append(item)
        while pending and (pending[0].key is None or full()):
            in_flight.pop(_settle(batch, pending.popleft(), plan, reader, now) or "", None)
    while pending:
        _settle(batch, pending.popleft(), plan, reader, now)


def _settle(batch: Batch, item: Scanned, plan: Plan, reader: Reader, now: datetime) -> str | None:
    """Write one file's outcome into the batch; returns its hash when it came from the pool."""
    data = reader.read(item) if item.key is None and plan.to_parse(item) else None
    if item.skip_reason is not None:
        batch.summary.skipped.append((item.relative, item.skip_reason))
        return None
    batch.files.append(_sync_one(batch, item, plan, now, lambda: reader.outcome(item, data)))
    return item.sha if item.key is not None else None


def _sync_one(batch: Batch, item: Scanned, plan: Plan, now: datetime, outcome: Callable[[], ParseOutcome]) -> Row:
    """Parse one landing file when it is new; returns its report_files row."""
    batch.summary.scanned += 1
    previous = plan.known.get(item.relative)
    if plan.unchanged(item):
        status = previous[1] if previous and previous[0] == item.sha else "parsed"
        batch.summary.unchanged += 1
    elif item.unread_reason is not None:
        status = _quarantine(batch, item, item.unread_reason, now)
    else:
        rows, reason = outcome()
        if rows is None:
            status = _quarantine(batch, item, reason or "unknown", now)
        else:
            batch.summary.parsed += 1
            batch.add_version(rows)
            plan.parsed_shas.add(item.sha)
            status = "parsed"
    return report_file_row(batch, item.path, item.relative, item.sha, item.size, status, now, previous is None)


def _quarantine(batch: Batch, item: Scanned, reason: str, now: datetime) -> str:
    return quarantine_row(batch, item.relative, item.sha, item.size, reason, now)
