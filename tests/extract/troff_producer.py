"""A report typeset with groff (troff, the ms macros and tbl): a typesetting system, not a browser or office suite.

Three layouts, chosen for what they do differently from the other producers of the matrix:

- `groff`: one column; tables without any rule (tbl's default), headings set apart by a bold font
  with little space, list numbers and bullets as tags hanging left of the text (separate glyph runs);
- `groff-two-column`: the same in two columns (`.2C`), so lines of the left and right columns share
  heights and tables sit inside a column;
- `groff-hrules`: one column, tables ruled only horizontally (a rule between rows, none between
  cells), with the header row repeated on each page a table runs over (`.TS H` / `.TH`).

Needs `groff` (Debian package, with gropdf); the PDFs are committed, so tests never run it.
"""

from __future__ import annotations

import re
import subprocess

from ingestion.document import Document
from tests.extract import builders

LAYOUTS = {
    "groff": {"columns": 1, "rules": False},
    "groff-two-column": {"columns": 2, "rules": False},
    "groff-hrules": {"columns": 1, "rules": True},
}
_NUMBERED = re.compile(r"^(\d{1,2})\.\s+")
LINE_WIDTH_IN = 6.3  # A4 less 1 inch margins
GUTTER_IN = 0.3


_SUPERSCRIPTS = {ch: str(i) for i, ch in enumerate("\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079")}


def _escape(text: str) -> str:
    text = text.replace("\\", "\\e")
    # troff prints ' as a closing quote glyph; the text versions have a straight one (\(aq).
    text = text.replace("'", "\\(aq")
    # Footnote markers as troff sets them (the standard fonts have no superscript digits): raised, smaller.
    text = "".join(f"\\u\\s-3{_SUPERSCRIPTS[ch]}\\s+3\\d" if ch in _SUPERSCRIPTS else ch for ch in text)
    return "\\&" + text if text[:1] in ".'" else text


def _table(rows: list[list[str]], width: float, rules: bool) -> list[str]:
    shares = builders._column_shares(rows)
    # Long columns get a width (filled text blocks that wrap); short ones stay as wide as their text.
    # In a narrow column every column gets a width, so that the table never runs into the gutter.
    narrow = width < LINE_WIDTH_IN / 2
    formats = [
        f"lw({share * width * (0.7 if narrow else 0.92):.2f}i)" if narrow or max(len(r[c]) for r in rows) > 12 else "l"
        for c, share in enumerate(shares)
    ]
    out = [".TS H", "tab(\t);", " ".join(formats) + "."]

    def row(values: list[str]) -> str:
        return "\t".join(f"T{{\n{_escape(v)}\nT}}" if formats[c] != "l" else _escape(v) for c, v in enumerate(values))

    out.append(row(rows[0]))
    if rules:
        out.append("_")
    out.append(".TH")
    for values in rows[1:]:
        out.append(row(values))
        if rules:
            out.append("_")
    out.append(".TE")
    return out


def build_ms(doc: Document, columns: int, rules: bool) -> str:
    width = LINE_WIDTH_IN if columns == 1 else (LINE_WIDTH_IN - GUTTER_IN) / 2
    lines = [
        ".nr PS 10",
        ".nr VS 12",
        ".nr PD 0.4v",
        f".nr LL {LINE_WIDTH_IN}i",
        ".nr HM 0.9i",
        ".nr FM 0.9i",
        f'.ds CH "{builders.RUNNING_HEADER}',  # a running header on every page
        f".nr GW {GUTTER_IN}i",
    ]
    if columns == 2:
        lines.append(".2C")
    groups = builders.group_blocks(doc)
    for index, group in enumerate(groups):
        if group.kind == "paragraph":
            text = group.items[0]
            if builders.heading_level(text):
                lines += [".SH", _escape(text)]  # bold, with only a little space before the text
            else:
                lines += [".LP", _escape(text)]
        elif group.kind == "list":
            lines.append(".nr PD 0")  # items of one list touch; lists are apart
            if group.gap_before:
                lines.append(".sp 0.6v")
            following = groups[index + 1] if index + 1 < len(groups) else None
            for i, item in enumerate(group.items):
                if i == len(group.items) - 1 and following and following.kind == "list" and following.gap_before:
                    lines += [".br", ".ne 8v"]  # never break between two lists: the gap is their only sign
                number = _NUMBERED.match(item)
                if number:
                    lines += [f".IP {number[1]}. 4", _escape(_NUMBERED.sub("", item, count=1))]
                else:
                    lines += [".IP \\(bu 2", _escape(item)]
            lines.append(".nr PD 0.4v")
        else:
            lines += [".LP", *_table(builders._rectangular(group.rows), width, rules)]
    return "\n".join(lines) + "\n"


def build_groff_pdf(doc: Document, layout: str) -> bytes:
    source = build_ms(doc, **LAYOUTS[layout])  # type: ignore[arg-type]
    result = subprocess.run(
        ["groff", "-k", "-ms", "-t", "-Tpdf", "-dpaper=a4", "-P-pa4"],
        input=source.encode("utf-8"),
        capture_output=True,
        check=True,
        timeout=120,
    )
    return result.stdout
