"""Rewrite a sample report's text into other layouts or broken forms, for parser tests."""

from __future__ import annotations

import re


def tabs_to_pipes(text: str) -> str:
    """Tab-separated table rows -> markdown pipe rows (a separator line after each table's first row)."""
    out: list[str] = []
    previous_was_row = False
    for line in text.split("\n"):
        if "\t" in line and line.strip():
            cells = [c.strip() for c in line.split("\t")]
            out.append("| " + " | ".join(cells) + " |")
            if not previous_was_row:
                out.append("|" + "---|" * len(cells))
            previous_was_row = True
        else:
            out.append(line)
            previous_was_row = False
    return "\n".join(out)


def pipes_to_tabs(text: str) -> str:
    out = []
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.startswith("|") and set(stripped) <= set("|-: "):
            continue
        if stripped.startswith("|"):
            out.append("\t".join(c.strip() for c in stripped.strip("|").split("|")))
        else:
            out.append(line)
    return "\n".join(out)


def glue_table_cells(text: str) -> str:
    """Glue codes to names and split words across cells, as some converters do."""
    text = re.sub(r"(?m)^(P )?(\d\.\d)\t", lambda m: f"{m.group(1) or ''}{m.group(2)}", text)
    return text.replace("Overall rating", "Ov\terall rating")


def replace_once(text: str, old: str, new: str) -> str:
    assert old in text, f"variant anchor not found: {old!r}"
    return text.replace(old, new, 1)
