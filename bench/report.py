"""Benchmark results: machine facts, derived figures, targets and the markdown table."""

from __future__ import annotations

import json
import os
import platform
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata

from bench.measure import RunResult
from bench.parallel_parse import ParallelLoad, ratio
from bench.parallel_parse import markdown as parallel_markdown

PACKAGES = ("duckdb", "dagster", "dagster-dbt", "dbt-core", "dbt-duckdb", "great_expectations")
GIB_MIB = 1024.0
GX_STEP = "gx_checks"  # step key of the Great Expectations asset checks (one step since #16)
SAMPLE_BUILD, SAMPLE_NOOP = "samples build", "samples no-op"  # runs on the three real sample reports
NOOP_BEFORE_16_S = 8.6  # no-op refresh at 1,000 reports when issue #16 was filed (its "no slower" target)


@dataclass
class ParseResult:
    fmt: str
    files: int
    megabytes: float
    seconds: float

    @property
    def reports_per_s(self) -> float:
        return self.files / self.seconds if self.seconds else 0.0

    @property
    def mb_per_s(self) -> float:
        return self.megabytes / self.seconds if self.seconds else 0.0

    @property
    def ms_per_report(self) -> float:
        return 1000 * self.seconds / self.files if self.files else 0.0


@dataclass
class Target:
    name: str
    measured: str
    goal: str
    met: bool | None  # None: not measured in this run (e.g. --quick without 1,000 reports)

    @property
    def verdict(self) -> str:
        return "n/a" if self.met is None else ("PASS" if self.met else "MISS")


@dataclass
class BenchResults:
    machine: dict[str, str]
    corpus_mix: str
    parse: list[ParseResult] = field(default_factory=list)
    runs: list[RunResult] = field(default_factory=list)
    parallel: list[ParallelLoad] = field(default_factory=list)  # raw_tables first load, 1 and 2 parse workers

    def full_runs(self) -> dict[int, RunResult]:
        return {r.reports: r for r in self.runs if r.label == "full"}

    def run(self, label: str) -> RunResult | None:
        return next((r for r in self.runs if r.label == label), None)


def machine_info() -> dict[str, str]:
    cpu = platform.processor() or "unknown"
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    import psutil

    facts = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "ram": f"{psutil.virtual_memory().total / 2**30:.1f} GiB",
        "os": platform.platform(),
        "python": platform.python_version(),
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
    for package in PACKAGES:
        try:
            facts[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            facts[package] = "not installed"
    return facts


def marginal_ms(full: dict[int, RunResult]) -> float | None:
    """Cost of one more report: slope between the smallest and the largest full run."""
    if len(full) < 2:
        return None
    low, high = min(full), max(full)
    return 1000 * (full[high].wall_s - full[low].wall_s) / (high - low)


def targets(results: BenchResults) -> list[Target]:
    full = results.full_runs()
    out: list[Target] = []
    slope = marginal_ms(full)
    sizes = f"{min(full)}->{max(full)}" if full else ""
    out.append(
        Target(
            f"marginal cost per report ({sizes})", _fmt(slope, "ms"), "<= 50 ms", None if slope is None else slope <= 50
        )
    )
    noop, one_new = results.run("no-op"), results.run("one new")
    out.append(
        Target(
            f"no-op refresh at {noop.reports if noop else '?'}",
            _fmt(noop and noop.wall_s, "s"),
            f"<= {NOOP_BEFORE_16_S} s (before #16)",
            None if not noop else noop.wall_s <= NOOP_BEFORE_16_S,
        )
    )
    build, rebuild_noop = results.run(SAMPLE_BUILD), results.run(SAMPLE_NOOP)
    build_ratio = build.wall_s / rebuild_noop.wall_s if build and rebuild_noop and rebuild_noop.wall_s else None
    out.append(
        Target(
            "build of the 3 sample reports / no-op refresh of the same",
            "n/a"
            if build_ratio is None
            else f"{build_ratio:.2f}x ({build.wall_s:.1f} s / {rebuild_noop.wall_s:.1f} s)",
            "<= 1.5x",
            None if build_ratio is None else build_ratio <= 1.5,
        )
    )
    out.append(
        Target(
            "refresh with one new report",
            _fmt(one_new and one_new.wall_s, "s"),
            f"<= no-op + 5 s ({_fmt(noop and noop.wall_s + 5, 's')})",
            None if not (noop and one_new) else one_new.wall_s <= noop.wall_s + 5,
        )
    )
    text = next((p for p in results.parse if p.fmt == "text"), None)
    out.append(
        Target(
            "text parse throughput (1 core)",
            _fmt(text and text.reports_per_s, "reports/s"),
            ">= 200 reports/s",
            None if text is None else text.reports_per_s >= 200,
        )
    )
    speedup, n = ratio(results.parallel), results.parallel[0].reports if results.parallel else 0
    out.append(
        Target(
            f"raw_tables first load of {n}, 2 cores / 1 core",
            "n/a" if speedup is None else f"{speedup:.2f}",
            "<= 0.6",
            None if speedup is None or n < 1000 else speedup <= 0.6,
        )
    )
    peak = max((r.peak_tree_rss_mib for r in results.runs), default=None)
    out.append(
        Target(
            "peak memory of a run (process tree)",
            _fmt(peak, "MiB"),
            "< 1024 MiB",
            None if peak is None else peak < GIB_MIB,
        )
    )
    return out


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "n/a"
    return f"{value:.1f} {unit}" if value < 100 else f"{value:.0f} {unit}"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def to_markdown(results: BenchResults) -> str:
    lines = ["# Benchmark results", "", f"Corpus format mix (weights): `{results.corpus_mix}`", ""]
    lines += _table(["machine", ""], [[k, v] for k, v in results.machine.items()])
    lines += ["", "## Targets", ""]
    lines += _table(
        ["target", "measured", "goal", "verdict"], [[t.name, t.measured, t.goal, t.verdict] for t in targets(results)]
    )
    lines += ["", "## Parse throughput (sequential, in-process, one core)", ""]
    lines += _table(
        ["format", "files", "MB", "reports/s", "MB/s", "ms/report"],
        [
            [
                p.fmt,
                str(p.files),
                f"{p.megabytes:.1f}",
                f"{p.reports_per_s:.1f}",
                f"{p.mb_per_s:.2f}",
                f"{p.ms_per_report:.1f}",
            ]
            for p in results.parse
        ],
    )
    lines += [
        "",
        "## Pipeline runs (`python -m cli.run`; fresh warehouse, Dagster home created as `make install` does)",
        "",
    ]
    lines += _table(
        ["run", "reports", "wall s", "exit", "peak tree RSS MiB", "max process RSS MiB"],
        [
            [
                r.label,
                str(r.reports),
                f"{r.wall_s:.1f}",
                str(r.exit_code),
                f"{r.peak_tree_rss_mib:.0f}",
                f"{r.max_rss_mib:.0f}",
            ]
            for r in results.runs
        ],
    )
    lines += parallel_markdown(results.parallel)
    grouped = [group_steps(r) for r in results.runs]
    steps = list(dict.fromkeys(step for g in grouped for step in g))
    if steps:
        lines += ["", "## Seconds per Dagster step (from the run's event log)", ""]
        lines += _table(
            ["step", *[f"{r.label} {r.reports}" for r in results.runs]],
            [[s, *[f"{g[s]:.1f}" if s in g else "-" for g in grouped]] for s in steps],
        )
    return "\n".join(lines) + "\n"


def group_steps(run: RunResult) -> dict[str, float]:
    """Steps in run order, the GX checks step named as such, plus the time no step
    accounts for (interpreter start, loading the definitions, run setup and teardown)."""
    out: dict[str, float] = {}
    for step, seconds in run.steps_s.items():
        key = "GX checks (one step, every suite)" if GX_STEP in step else step
        out[key] = out.get(key, 0.0) + seconds
    if run.steps_s:
        out["outside steps (start-up, definitions, run setup)"] = run.wall_s - sum(run.steps_s.values())
    return out


def to_json(results: BenchResults) -> str:
    data = asdict(results)
    for entry, parsed in zip(data["parse"], results.parse, strict=True):
        entry |= {
            "reports_per_s": parsed.reports_per_s,
            "mb_per_s": parsed.mb_per_s,
            "ms_per_report": parsed.ms_per_report,
        }
    data["marginal_ms_per_report"] = marginal_ms(results.full_runs())
    data["targets"] = [asdict(t) | {"verdict": t.verdict} for t in targets(results)]
    return json.dumps(data, indent=2)
