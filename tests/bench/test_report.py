"""The benchmark's table and verdicts, on made-up timings (no timing is measured here)."""

from __future__ import annotations

import json

from bench.measure import RunResult
from bench.parallel_parse import ParallelLoad
from bench.report import (
    SAMPLE_BUILD,
    SAMPLE_NOOP,
    BenchResults,
    ParseResult,
    marginal_ms,
    targets,
    to_json,
    to_markdown,
)


def _run(label: str, reports: int, wall_s: float, peak: float = 500.0) -> RunResult:
    steps = {"raw_tables": wall_s / 10, "dbt_models": wall_s / 2, "gx_checks": 3.0}
    return RunResult(label, reports, wall_s, 0, peak / 2, peak, steps)


def _results(**overrides: float) -> BenchResults:
    walls = {"t3": 20.0, "t1000": 60.0, "noop": 8.0, "one_new": 11.0, "peak": 700.0, "build": 9.0, "raw2": 11.0}
    walls |= overrides
    return BenchResults(
        machine={"cpu": "Test CPU", "cores": "2"},
        corpus_mix="text:1",
        parse=[ParseResult("text", 300, 15.0, 1.0), ParseResult("pdf", 20, 1.2, 14.0)],
        runs=[
            _run(SAMPLE_BUILD, 3, walls["build"]),
            _run(SAMPLE_NOOP, 3, 6.0),
            _run("full", 3, walls["t3"]),
            _run("full", 1000, walls["t1000"], walls["peak"]),
            _run("no-op", 1000, walls["noop"]),
            _run("one new", 1001, walls["one_new"]),
        ],
        parallel=[ParallelLoad(1000, 1, 20.0, 450.0, "1.0"), ParallelLoad(1000, 2, walls["raw2"], 560.0, "1.0")],
    )


def test_marginal_cost_is_the_slope_between_smallest_and_largest_run() -> None:
    assert marginal_ms(_results().full_runs()) == 1000 * 40 / 997
    assert marginal_ms({}) is None


def test_all_targets_pass_on_good_figures() -> None:
    assert [t.verdict for t in targets(_results())] == ["PASS"] * 7


def test_each_target_can_miss() -> None:
    verdicts = {
        t.name.split(" (")[0]: t.verdict for t in targets(_results(t1000=200.0, noop=8.7, peak=1500.0, build=9.1))
    }
    assert verdicts["marginal cost per report"] == "MISS"
    assert verdicts["no-op refresh at 1000"] == "MISS"  # slower than before #16 (8.6 s)
    assert verdicts["peak memory of a run"] == "MISS"
    assert verdicts["build of the 3 sample reports / no-op refresh of the same"] == "MISS"  # 9.1 / 6 > 1.5
    slow_new = {t.name: t.verdict for t in targets(_results(one_new=13.1, raw2=12.5))}
    assert slow_new["refresh with one new report"] == "MISS"
    assert slow_new["raw_tables first load of 1000, 2 cores / 1 core"] == "MISS"


def test_unmeasured_targets_are_not_applicable() -> None:
    results = BenchResults(machine={}, corpus_mix="text:1")
    assert {t.verdict for t in targets(results)} == {"n/a"}
    assert "n/a" in to_markdown(results)


def test_markdown_table_lists_parse_runs_steps_and_verdicts() -> None:
    markdown = to_markdown(_results(t1000=200.0))
    assert "| text | 300 | 15.0 | 300.0 | 15.00 | 3.3 |" in markdown
    assert "| full | 1000 | 200.0 | 0 | 700 | 350 |" in markdown
    assert "| dbt_models | 4.5 | 3.0 | 10.0 | 100.0 | 4.0 | 5.5 |" in markdown
    assert (
        "| build of the 3 sample reports / no-op refresh of the same | 1.50x (9.0 s / 6.0 s) | <= 1.5x | PASS |"
        in markdown
    )
    assert "| marginal cost per report (3->1000) | 181 ms | <= 50 ms | MISS |" in markdown
    assert "| cpu | Test CPU |" in markdown
    assert "| 2 | 11.00 | 560 | 1.0 |" in markdown
    assert "| raw_tables first load of 1000, 2 cores / 1 core | 0.55 | <= 0.6 | PASS |" in markdown


def test_steps_table_groups_gx_checks_and_shows_time_outside_steps() -> None:
    markdown = to_markdown(_results())
    assert "| GX checks (one step, every suite) | 3.0 | 3.0 | 3.0 | 3.0 | 3.0 | 3.0 |" in markdown
    # samples build: 9 s wall - (0.9 + 4.5 + 3) s of steps
    assert "| outside steps (start-up, definitions, run setup) | 0.6 |" in markdown


def test_json_carries_derived_figures() -> None:
    data = json.loads(to_json(_results()))
    assert data["parse"][0]["reports_per_s"] == 300.0
    assert round(data["marginal_ms_per_report"], 3) == round(40000 / 997, 3)
    assert [t["verdict"] for t in data["targets"]] == ["PASS"] * 7
