"""Fixtures for the extractor tests: every seed rendered once per session into each published format."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

import pytest

from ingestion.document import Document
from tests.extract import builders

FORMATS = ("reportlab.pdf", "fpdf2.pdf", "site.html")
# fpdf2 (the second PDF producer) is a test-only dependency; until it is in the dev extras, skip its format.
HAVE_FPDF2 = importlib.util.find_spec("fpdf") is not None


@dataclass(frozen=True)
class Rendered:
    seed: Path
    text_doc: Document
    files: dict[str, Path]  # format -> rendered file


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Rendered]:
    out = tmp_path_factory.mktemp("rendered")
    result = {}
    for seed in builders.seed_paths():
        doc = builders.seed_document(seed)
        contents = {
            "reportlab.pdf": builders.build_reportlab_pdf(doc),
            "site.html": builders.build_site_html(doc).encode("utf-8"),
        }
        if HAVE_FPDF2:
            contents["fpdf2.pdf"] = builders.build_fpdf_pdf(doc)
        files = {}
        for fmt, data in contents.items():
            path = out / f"{seed.stem}.{fmt}"
            path.write_bytes(data)
            files[fmt] = path
        result[seed.stem] = Rendered(seed, doc, files)
    return result


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    # Parametrise by seed name and format so that each failure names the report and the producer.
    if "seed_name" in metafunc.fixturenames:
        metafunc.parametrize("seed_name", [p.stem for p in builders.seed_paths()])
    if "fmt" in metafunc.fixturenames:
        skip = pytest.mark.skip(reason="fpdf2 not installed (pip install fpdf2)")
        params = [pytest.param(f, marks=skip) if f == "fpdf2.pdf" and not HAVE_FPDF2 else f for f in FORMATS]
        metafunc.parametrize("fmt", params)
