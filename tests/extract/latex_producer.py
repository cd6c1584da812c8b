"""A report typeset with LaTeX (pdflatex, the standard `article` class): a second typesetting system.

Set as most LaTeX documents are: pdflatex (still the default engine of TeX distributions and of most
templates), `\\usepackage[T1]{fontenc}` with `lmodern` (the usual pairing: Type 1 Latin Modern fonts
with the T1 glyph set, what most templates and guides load, so accented words hyphenate and copy out
as single letters; the bare default, Computer Modern in OT1, composes accents from two glyphs), 10 pt
body, paragraphs marked by a first-line indent with no space between them (the class default), TeX's
own justification, hyphenation and ligatures (fi, ff, ffi: one glyph each, which PDFium gives back as
letters), `\\section*` headings in a larger bold font, a running header by `fancyhdr` (title left,
page number right), real footnotes (`\\footnote`, marker raised and smaller, a short rule above the
notes at the page foot), lists as `itemize` / `enumerate` with the items set close (`\\itemsep` 0,
as compact-list packages do) so two lists are told apart by the list's own space above, and tables
as `tabular` with `booktabs` rules only: a rule above the table, one under the header and one below
it, none between body rows, with long columns as `p{}` columns that wrap on the body's own line grid.

Two layouts:

- `latex`: one column, A4 with `geometry` margins of 2.5 cm;
- `latex-two-column`: `\\documentclass[twocolumn]{article}`, tables inside a column (short columns
  `l`, text columns justified `p{}` columns that wrap and hyphenate), lists and paragraphs running
  over column breaks, footnotes at the foot of a column.

Needs pdflatex (Debian: texlive-latex-base texlive-latex-recommended texlive-fonts-recommended
lmodern); the PDFs are committed, so tests never run it.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

from ingestion.document import Document
from tests.extract import builders

LAYOUTS = {"latex": {"columns": 1}, "latex-two-column": {"columns": 2}}
_NUMBERED = re.compile(r"^(\d{1,2})\.\s+")
_FOOTNOTE = re.compile(r"^([\u00b9\u00b2\u00b3\u2074-\u2079])\s+(?=The rating)")
_SUPERSCRIPTS = {ch: str(i) for i, ch in enumerate("\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079")}
_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "^": r"\textasciicircum{}",
    "_": r"\_",
    "%": r"\%",
    "~": r"\textasciitilde{}",
    # The text versions have straight quotes; T1 would print ' and " as curly ones (and `` '' -- as ligatures).
    "'": r"\textquotesingle{}",
    '"': r"\textquotedbl{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "\u2022": r"\textbullet{}",
}
_PREAMBLE = r"""\documentclass[a4paper,10pt{options}]{{article}}
\usepackage[T1]{{fontenc}}
\usepackage[utf8]{{inputenc}}
\usepackage{{lmodern}}
\usepackage{{textcomp}}
\usepackage[a4paper,margin=2.5cm,headheight=14pt]{{geometry}}
\usepackage{{array}}
\usepackage{{booktabs}}
\usepackage{{fancyhdr}}
\pagestyle{{fancy}}
\fancyhf{{}}
\fancyhead[L]{{\small {header}}}
\fancyhead[R]{{\small\thepage}}
\renewcommand{{\headrulewidth}}{{0pt}}
\setlength{{\columnsep}}{{0.8cm}}
\makeatletter
% Two lists in a row are told apart only by the space between them: never break the page there.
\newcommand{{\keeplists}}{{\@beginparpenalty=10000\relax\@endparpenalty=10000\relax}}
\makeatother
\begin{{document}}
"""


def _escape(text: str) -> str:
    out = "".join(_SPECIAL.get(ch, ch) for ch in text)
    # A footnote marker with no note at the page foot: raised and smaller, as LaTeX sets footnote marks.
    return "".join(f"\\textsuperscript{{{_SUPERSCRIPTS[ch]}}}" if ch in _SUPERSCRIPTS else ch for ch in out)


def _with_footnotes(text: str, notes: dict[str, str]) -> str:
    pieces = re.split(f"([{''.join(notes)}])", text) if notes else [text]
    return "".join(
        _escape(piece) if i % 2 == 0 else f"\\footnote[{_SUPERSCRIPTS[piece]}]{{{_escape(notes[piece])}}}"
        for i, piece in enumerate(pieces)
    )


def _footnotes(groups: list[builders.Group]) -> dict[str, str]:
    """Superscript marker -> note text (without its marker), for the methodology notes that the Word
    producer also sets as real footnotes."""
    from tests.extract import pdf_producers  # imports this module: only at call time

    return {marker: _FOOTNOTE.sub("", text) for marker, text in pdf_producers._footnotes(groups).items()}


def _table(rows: list[list[str]], columns: int) -> list[str]:
    shares = builders._column_shares(rows)
    # Long columns wrap in p{} columns; short ones stay as wide as their text (l).
    if columns == 2:
        # Codes, ratings and percentages stay on one line (l, about 5 pt a character); text columns
        # share what is left after them and the padding between columns (2 x \tabcolsep each).
        short = [max(len(r[c]) for r in rows) <= 12 for c in range(len(shares))]
        fixed = 12 * (len(shares) - 1) + sum(5 * max(len(r[c]) for r in rows) for c in range(len(shares)) if short[c])
        wide = sum(share for share, s in zip(shares, short, strict=True) if not s)
        specs = [
            "l" if s else f"p{{\\dimexpr {share / wide:.3f}\\linewidth-{share / wide * fixed:.1f}pt\\relax}}"
            for share, s in zip(shares, short, strict=True)
        ]
    else:
        specs = [
            f"p{{{share * 0.96:.3f}\\linewidth}}" if max(len(r[c]) for r in rows) > 12 else "l"
            for c, share in enumerate(shares)
        ]
        # Each l column takes its text's width plus padding: give the p columns what is left.
        fixed = sum(share for c, share in enumerate(shares) if specs[c] == "l")
        if fixed:
            scale = 0.82 / (1 - fixed)
            specs = [
                f"p{{{share * 0.96 * scale:.3f}\\linewidth}}" if spec != "l" else spec
                for spec, share in zip(specs, shares, strict=True)
            ]
    out = ["\\par\\medskip\\noindent", f"\\begin{{tabular}}{{@{{}}{''.join(specs)}@{{}}}}", "\\toprule"]
    for i, values in enumerate(rows):
        out.append(" & ".join(_escape(v) for v in values) + " \\\\")
        if i == 0:
            out.append("\\midrule")
    out += ["\\bottomrule", "\\end{tabular}", "\\par\\medskip"]
    return out


def _list(lines: list[str], items: list[str]) -> None:
    env = "enumerate" if _NUMBERED.match(items[0]) else "itemize"
    lines += [
        "",
        f"\\begin{{{env}}}",
        "\\setlength{\\itemsep}{0pt}\\setlength{\\parsep}{0pt}\\setlength{\\parskip}{0pt}",
    ]
    for item in items:
        number = _NUMBERED.match(item)
        if number:  # the report's own number, as the item's label
            lines.append(f"\\item[{number[1]}.] " + _escape(_NUMBERED.sub("", item, count=1)))
        elif env == "enumerate":  # an item whose number the report lost: a bullet, as the other producers draw
            lines.append("\\item[\\textbullet] " + _escape(item))
        else:
            lines.append("\\item " + _escape(item))
    lines += [f"\\end{{{env}}}", ""]


def build_latex(doc: Document, columns: int) -> str:
    options = ",twocolumn" if columns == 2 else ""
    lines = [_PREAMBLE.format(options=options, header=builders.RUNNING_HEADER)]
    groups = builders.group_blocks(doc)
    notes = _footnotes(groups)
    note_texts = {f"{marker} {text}" for marker, text in notes.items()}
    title_done = kept = False
    for index, group in enumerate(groups):
        if group.kind == "paragraph":
            text = group.items[0]
            if text in note_texts:
                continue  # printed as a footnote at the foot of its page instead
            level = builders.heading_level(text)
            if level:
                title_done = True
                lines.append(f"\\{'section' if level == 2 else 'subsection'}*{{{_escape(text)}}}")
            elif not title_done:
                # The cover: the report's opening lines, each a paragraph of its own, centred.
                lines += ["\\begin{center}", "\\large " + _escape(text), "\\end{center}"]
            else:
                lines += ["", _with_footnotes(text, notes)]
        elif group.kind == "list":
            following = groups[index + 1] if index + 1 < len(groups) else None
            keep = following is not None and following.kind == "list" and following.gap_before
            if keep and not kept:
                lines.append("{\\keeplists")  # closed after the last list of the run
            _list(lines, group.items)
            if kept and not keep:
                lines.append("}")
            kept = keep
        else:
            title_done = True
            lines += _table(builders._rectangular(group.rows), columns)
    return "\n".join(lines) + "\n\\end{document}\n"


def build_latex_pdf(doc: Document, layout: str) -> bytes:
    source = build_latex(doc, **LAYOUTS[layout])  # type: ignore[arg-type]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "report.tex").write_text(source, encoding="utf-8")
        for _ in range(2):  # twice, as LaTeX documents are built, so that references settle
            subprocess.run(
                ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "report.tex"],
                cwd=work,
                capture_output=True,
                check=True,
                timeout=300,
            )
        return (work / "report.pdf").read_bytes()
