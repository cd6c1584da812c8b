"""What storing one Dagster event costs: the project's event log against Dagster's stock one-file SQLite log.

    python -m bench.event_log [--events 300] [--rounds 3]

Each round writes the same number of asset materialisations into a fresh Dagster home configured with each
storage class in turn (the same call a run makes for every dbt model and test) and prints milliseconds per
event, best of the rounds. orchestration/event_storage.py says why they differ.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from dagster import AssetKey, AssetMaterialization

from bench.measure import ROOT
from orchestration.instance import instance_at

STOCK = ("dagster._core.storage.event_log", "ConsolidatedSqliteEventLogStorage")
PROJECT = ("orchestration.event_storage", "PooledSqliteEventLogStorage")


def _home(root: Path, module: str, cls: str) -> Path:
    home = Path(tempfile.mkdtemp(dir=root))
    yaml = (ROOT / "orchestration" / "dagster.yaml").read_text()
    (home / "dagster.yaml").write_text(
        yaml.replace(f"module: {PROJECT[0]}", f"module: {module}").replace(PROJECT[1], cls)
    )
    return home


def ms_per_event(root: Path, module: str, cls: str, events: int) -> float:
    with instance_at(_home(root, module, cls)) as instance:
        assert type(instance.event_log_storage).__name__ == cls
        instance.report_runless_asset_event(AssetMaterialization(AssetKey("warm_up")))
        start = time.perf_counter()
        for n in range(events):
            instance.report_runless_asset_event(AssetMaterialization(AssetKey("bench"), metadata={"n": n}))
        return (time.perf_counter() - start) / events * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as root:
        for label, (module, cls) in (("Dagster's one-file log", STOCK), ("project's pooled log", PROJECT)):
            best = min(ms_per_event(Path(root), module, cls, args.events) for _ in range(args.rounds))
            print(f"{label:24s} {cls:36s} {best:6.2f} ms per event (best of {args.rounds} x {args.events})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
