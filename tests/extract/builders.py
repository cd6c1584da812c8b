"""Render the seed reports' content as published files: PDF (two producers) and new-site HTML.

Each seed is read with the text extractor; its blocks are grouped into paragraphs, lists and
tables, and every group is rendered in the target format's own idiom (reportlab Table and
bullet paragraphs, fpdf2 HTML tables and lists, new-site HTML sections). No report value is written
here: whatever the seed says is what the fixture says.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Literal

from ingestion.document import Block, BlockKind, Document
from ingestion.extract.text import extract_text

ROOT = Path(__file__).resolve().parents[2]
SEED_DIR = ROOT / "data" / "reports"
RUNNING_HEADER = "Inspection of probation services"  # drawn on every PDF page; the extractor must drop it
_FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
# Section titles of a report: on the new site these are the headings suffixed "(Back to top)".
_NUMBERED_HEADING = re.compile(r"^(?:P )?\d+(?:\.\d+)*\.?\s+[A-Z][^.:]{0,60}$")
_NAMED_HEADINGS = ("Contents", "Foreword", "Ratings", "Recommendations", "Background", "Acknowledgements", "Annexe")
_PUBLISHED = re.compile(r"HM Inspectorate of Probation, ([A-Z][a-z]+ \d{4})")


def seed_paths() -> list[Path]:
    return sorted(SEED_DIR.glob("*.txt"))


def seed_document(path: Path) -> Document:
    return extract_text(path.read_bytes())


@dataclass
class Group:
    kind: Literal["paragraph", "list", "table"]
    gap_before: bool
    items: list[str] = field(default_factory=list)  # paragraph text, or one entry per list item
    rows: list[tuple[str, ...]] = field(default_factory=list)


def group_blocks(doc: Document) -> list[Group]:
    """Consecutive table rows make one table; list items make one list until a gap starts another."""
    groups: list[Group] = []
    for block in doc.blocks:
        last = groups[-1] if groups else None
        if block.kind is BlockKind.TABLE_ROW:
            if last is None or last.kind != "table" or block.gap_before:
                last = Group("table", block.gap_before)
                groups.append(last)
            last.rows.append(block.cells)
        elif block.kind is BlockKind.LIST_ITEM:
            if last is None or last.kind != "list" or block.gap_before:
                last = Group("list", block.gap_before)
                groups.append(last)
            last.items.append(block.text)
        else:
            groups.append(Group("paragraph", block.gap_before, [block.text]))
    return groups


def heading_level(text: str) -> int | None:
    """2 for a section title, 3 for a numbered sub-section ("1.1. Leadership"), None for body text."""
    if text.startswith(_NAMED_HEADINGS) and len(text) < 60:
        return 2
    if _NUMBERED_HEADING.match(text):
        return 3 if re.match(r"^(?:P )?\d+\.\d", text) else 2
    return None


def _font_path(bold: bool = False) -> Path:
    """DejaVu covers the seeds' superscripts; reportlab's bundled Vera is the portable fallback."""
    for folder in _FONT_DIRS:
        path = folder / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
        if path.exists():
            return path
    import reportlab

    return Path(reportlab.__file__).parent / "fonts" / ("VeraBd.ttf" if bold else "Vera.ttf")


def _rectangular(rows: list[tuple[str, ...]]) -> list[list[str]]:
    width = max(len(r) for r in rows)
    return [list(r) + [""] * (width - len(r)) for r in rows]


def _column_shares(rows: list[list[str]]) -> list[float]:
    # Wide text columns get the room; short cells (codes, ratings, percentages) stay narrow.
    weights = [min(max((len(r[i]) for r in rows), default=0), 70) + 6 for i in range(len(rows[0]))]
    return [w / sum(weights) for w in weights]


def build_reportlab_pdf(doc: Document) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(TTFont("SeedSans", str(_font_path())))
    body = ParagraphStyle("body", fontName="SeedSans", fontSize=10, leading=12.5)
    bullet = body.clone("bullet", leftIndent=18, bulletIndent=4, bulletFontName="SeedSans")
    gap = 9

    def para(text: str, space: float = 0) -> Paragraph:
        return Paragraph(html.escape(text), body.clone("p", spaceBefore=space))

    story = []
    for g in group_blocks(doc):
        space = gap if g.gap_before else 0
        if g.kind == "list" and g.gap_before and story:
            # A page break between two lists hides the gap that separates them (ambiguous in any PDF;
            # the seeds lost the heading that would make it explicit), so never break right there.
            story[-1].keepWithNext = True
        if g.kind == "paragraph":
            story.append(para(g.items[0], space))
        elif g.kind == "list":
            for i, text in enumerate(g.items):
                style = bullet.clone("li", spaceBefore=space if i == 0 else 0)
                story.append(Paragraph(html.escape(text), style, bulletText="•"))
        else:
            rows = _rectangular(g.rows)
            width = A4[0] - 144
            table = Table(
                [[para(c) for c in r] for r in rows],
                colWidths=[s * width for s in _column_shares(rows)],
                spaceBefore=space,
            )
            table.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde4ee")),
                    ]
                )
            )
            story.append(table)

    def decorate(canvas, template) -> None:
        canvas.saveState()
        canvas.setFont("SeedSans", 8)
        canvas.drawString(72, A4[1] - 40, RUNNING_HEADER)
        canvas.drawCentredString(A4[0] / 2, 30, str(canvas.getPageNumber()))
        canvas.restoreState()

    out = BytesIO()
    SimpleDocTemplate(out, pagesize=A4, leftMargin=72, rightMargin=72, topMargin=72, bottomMargin=72).build(
        story, onFirstPage=decorate, onLaterPages=decorate
    )
    return out.getvalue()


def _html_body(doc: Document, headings: bool) -> str:
    return "\n".join(_html_parts(group_blocks(doc), headings))


def _html_parts(groups: list[Group], headings: bool) -> list[str]:
    """One HTML fragment per group: <p>, <ul>, <table>; with `headings`, section titles become <h2>/<h3>."""
    parts = []
    for g in groups:
        if g.kind == "paragraph":
            text = g.items[0]
            level = heading_level(text) if headings else None
            if level:
                parts.append(f'<h{level}>{html.escape(text)} <a href="#top">(Back to top)</a></h{level}>')
            else:
                parts.append(f"<p>{html.escape(text)}</p>")
        elif g.kind == "list":
            parts.append("<ul>" + "".join(f"<li>{html.escape(t)}</li>" for t in g.items) + "</ul>")
        else:
            rows = _rectangular(g.rows)
            shares = _column_shares(rows)
            head = "".join(
                f'<th width="{round(s * 100)}%">{html.escape(c)}</th>' for s, c in zip(shares, rows[0], strict=True)
            )
            body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows[1:])
            parts.append(f'<table border="1" width="100%"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>')
    return parts


def build_fpdf_pdf(doc: Document) -> bytes:
    """Second producer: fpdf2 laying out the report's HTML (its own table and list code).

    As with reportlab's keepWithNext, a list that follows another list is never left to start a
    page: the page is broken before the list above instead (found by laying out again).
    """
    groups = group_blocks(doc)
    break_before: set[int] = set()
    while True:
        data, stranded = _fpdf_layout(groups, break_before)
        if not stranded - {i + 1 for i in break_before}:
            return data
        break_before |= {i - 1 for i in stranded}


def _fpdf_layout(groups: list[Group], break_before: set[int]) -> tuple[bytes, set[int]]:
    from fpdf import FPDF

    class ReportPDF(FPDF):
        def header(self) -> None:
            self.set_font("SeedSans", size=8)
            self.cell(0, 8, RUNNING_HEADER)
            self.ln(14)

        def footer(self) -> None:
            self.set_y(-20)
            self.set_font("SeedSans", size=8)
            self.cell(0, 8, str(self.page_no()), align="C")

    pdf = ReportPDF(format="A4", unit="pt")
    pdf.add_font("SeedSans", fname=str(_font_path()))
    pdf.add_font("SeedSans", style="B", fname=str(_font_path(bold=True)))
    pdf.set_margins(60, 50, 60)
    pdf.set_auto_page_break(True, margin=50)
    pdf.add_page()
    pdf.set_font("SeedSans", size=10)
    stranded = set()
    for i, (group, part) in enumerate(zip(groups, _html_parts(groups, headings=False), strict=True)):
        if i in break_before:
            pdf.add_page()
        after_list = i > 0 and groups[i - 1].kind == "list"
        if group.kind == "list" and group.gap_before and after_list and pdf.will_page_break(40):
            stranded.add(i)
        pdf.write_html(part, font_family="SeedSans")
    return bytes(pdf.output()), stranded


def published_label(doc: Document) -> str | None:
    match = _PUBLISHED.search(doc.text())
    return f"Published: 1 {match.group(1)}" if match else None


def build_site_html(doc: Document) -> str:
    """A page shaped like the new website: chrome to ignore, "(Back to top)" sections, and a
    Published label after the cover lines (the text conversions have the month only; day 1 stands in)."""
    first = doc.blocks[0]
    cover_end = next((i + 1 for i, b in enumerate(doc.blocks) if _PUBLISHED.search(b.text)), 1)
    label = published_label(doc) or "Published: unknown"
    date = html.escape(label.split(": ", 1)[1])
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(first.text)} - HM Inspectorate of Probation</title>
<style>body {{ font-family: sans-serif; }}</style><script>window.dataLayer = [];</script></head>
<body><header><a href="/">HM Inspectorate of Probation</a><nav><ul><li>Home</li><li>Our reports</li>
<li>About us</li></ul></nav></header>
<main id="top"><h1>{html.escape(first.text)}</h1>
{_html_body(Document(doc.blocks[1:cover_end]), headings=False)}
<p class="meta"><span class="label">Published:</span><time>{date}</time></p>
<article>{_html_body(Document(doc.blocks[cover_end:]), headings=True)}</article></main>
<footer><p>Cookies</p><p>Accessibility statement</p><p>All content is available under the Open Government Licence v3.0</p>
</footer><script>console.log("analytics");</script></body></html>"""


def comparable(blocks: list[Block]) -> list[tuple[str, object]]:
    """What must survive any format: kind (headings count as paragraphs), text, the start of a list
    right after another list (where a gap is all that separates them), table rows by non-empty cells."""
    out: list[tuple[str, object]] = []
    previous: BlockKind | None = None
    for b in blocks:
        if b.kind is BlockKind.TABLE_ROW:
            out.append(("row", tuple(" ".join(c.split()) for c in b.cells if c.strip())))
        else:
            kind = "paragraph" if b.kind is BlockKind.HEADING else b.kind.value
            if b.kind is BlockKind.LIST_ITEM and b.gap_before and previous is BlockKind.LIST_ITEM:
                kind = "first_list_item"  # the parser splits finding lists at such gaps
            out.append((kind, " ".join(b.text.split())))
        previous = b.kind
    return out
