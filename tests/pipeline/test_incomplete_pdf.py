"""One PDF read only in part, beside good reports: the good ones publish, that one waits in quarantine."""

from __future__ import annotations

from tests.parse.incomplete import incomplete_pdf
from tests.pipeline.conftest import Project


def test_incomplete_pdf_is_quarantined_and_the_rest_is_published(project: Project) -> None:
    (project.landing / "dorset-incomplete.pdf").write_bytes(incomplete_pdf())
    result = project.run()
    [(file, reason)] = project.query("SELECT file_path, reason FROM raw.quarantine")
    assert file == "dorset-incomplete.pdf"
    assert reason == "incomplete parse: standard 2.3: 2 of 3 key-question percentages"
    # The three good reports are built, checked and published all the same.
    assert project.query("SELECT count(*) FROM marts.inspections") == [(3,)]
    assert "serving/marts" in {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    [check] = [e for e in result.get_asset_check_evaluations() if e.check_name == "quarantine_is_empty"]
    assert not check.passed
    shown = str(check.metadata)  # what the UI lists under the failed check
    assert "dorset-incomplete.pdf" in shown and "standard 2.3: 2 of 3 key-question percentages" in shown
