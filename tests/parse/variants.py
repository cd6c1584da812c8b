"""Rewrite a sample report's text into other layouts or broken forms, for parser tests."""

from __future__ import annotations

import re

# The table layouts the benchmark's corpus writes are the ones these tests compare.
from bench.seed_text import to_pipe_tables as tabs_to_pipes
from bench.seed_text import to_tab_tables as pipes_to_tabs

__all__ = ["glue_table_cells", "pipes_to_tabs", "replace_once", "tabs_to_pipes"]


def glue_table_cells(text: str) -> str:
    """Glue codes to names and split words across cells, as some converters do."""
    text = re.sub(r"(?m)^(P )?(\d\.\d)\t", lambda m: f"{m.group(1) or ''}{m.group(2)}", text)
    return text.replace("Overall rating", "Ov\terall rating")


def replace_once(text: str, old: str, new: str) -> str:
    assert old in text, f"variant anchor not found: {old!r}"
    return text.replace(old, new, 1)
