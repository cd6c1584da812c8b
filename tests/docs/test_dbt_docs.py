"""`make docs`: dbt's static documentation site loads from disk in headless Chromium."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest

from cli.dbt_docs import DocsError, generate_static_docs
from tests.browser import needs_chromium, run_chromium
from tests.dbt.warehouse_fixtures import shared_build

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # dbt opens the warehouse for writing: a copy keeps the shared build untouched.
    warehouse = shared_build().copy(tmp_path_factory.mktemp("warehouse"))
    return generate_static_docs(warehouse, tmp_path_factory.mktemp("target"))


def test_static_site_is_one_file_with_the_marts(site: Path) -> None:
    page = site.read_text()
    assert site.name == "static_index.html"
    # manifest and catalog are embedded: nothing left to fetch beside the page
    assert '"model.probation.inspections"' in page
    assert "Stable key, slug of the PDU" in page  # a mart column's description, from the manifest


@pytest.mark.browser
@needs_chromium
def test_static_site_renders_from_disk_in_chromium(site: Path, tmp_path: Path) -> None:
    # Open the model page of the inspections mart, straight from file:// as a user double-clicking it.
    url = site.as_uri() + "#!/model/" + _model_id(site, "inspections")
    dom = run_chromium(url, tmp_path / "profile", "--dump-dom", budget_ms=15000, timeout=180)
    text = lxml.html.fromstring(dom).text_content()
    assert "One row per inspection" in text  # the model's description, drawn by the app from the embedded manifest
    assert "inspection_id" in text and "overall_rating" in text  # its columns


def test_missing_warehouse_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DocsError, match="build it first"):
        generate_static_docs(tmp_path / "probation.duckdb", tmp_path / "target")


def _model_id(site: Path, model: str) -> str:
    manifest = json.loads((site.parent / "manifest.json").read_text())
    return next(
        key for key, node in manifest["nodes"].items() if node["resource_type"] == "model" and node["name"] == model
    )
