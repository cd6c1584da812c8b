"""A plain page beside GX's Data Docs site that lists every check of the validation and links its GX page.

GX's index draws its table with scripts from public CDNs, so offline it shows no links; this page has no
script and no external file, so the dashboard's link works wherever the serving copy is opened.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from expectations.runner import SuiteResult
    from expectations.suites import Suite

OVERVIEW = "checks.html"


def _gx_page(folder: Path, suite: Suite) -> str | None:
    pages = sorted((folder / "validations" / suite.schema / suite.table / suite.check).rglob("*.html"))
    return pages[-1].relative_to(folder).as_posix() if pages else None


def write_overview(folder: Path, suites: Sequence[Suite], results: Sequence[SuiteResult]) -> Path:
    rows = []
    for suite, result in zip(suites, results, strict=True):
        outcome = result.note or ("passed" if result.success else f"FAILED: {result.offending_count} offending rows")
        page = _gx_page(folder, suite)
        link = f'<a href="{html.escape(page)}">GX page</a>' if page else ""
        rows.append(
            f"<tr><td>{html.escape(suite.check)}</td><td>{html.escape(result.table)}</td>"
            f"<td>{result.severity}</td><td>{html.escape(outcome)}</td><td>{link}</td></tr>"
        )
    failed = sum(not r.success for r in results)
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Data-quality checks</title>
<style>body{{font-family:sans-serif;margin:2em}}td,th{{padding:.2em .8em;text-align:left}}</style></head>
<body><h1>Data-quality checks of this version</h1>
<p>{len(results)} Great Expectations checks, {failed} failed. <a href="index.html">GX's Data Docs index</a>
(its table needs the network).</p>
<table><tr><th>check</th><th>table</th><th>severity</th><th>result</th><th></th></tr>
{"".join(rows)}
</table></body></html>
"""
    out = folder / OVERVIEW
    out.write_text(page, encoding="utf-8")
    return out
