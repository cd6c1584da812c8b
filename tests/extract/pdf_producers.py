"""The PDF producer matrix: each report made into a PDF by many producers (docs/pdf-extraction.md lists them).

    .venv/bin/python -m tests.extract.pdf_producers            # regenerate tests/fixtures/pdf/

Reports: the three sample reports and one generated variant (bench/corpus.py: another PDU, other
percentages and ratings), whose text version is written beside the PDFs. Producers:

- reportlab, fpdf2: the fixture builders of tests/extract/builders.py;
- libreoffice-html: LibreOffice Writer/Web printing the new-site report page (borderless tables,
  cells vertically centred, wrapped text, recommendations as a browser-numbered ordered list);
- libreoffice-docx: LibreOffice printing a Word document made with python-docx (ruled tables with
  shaded rating cells and fixed column widths that force wrapping, Word numbering and bullets,
  running header and a footer with the page number field);
- libreoffice-docx-two-column, libreoffice-docx-hyphenated: the same Word document laid out as Word
  users do (`DOCX_LAYOUTS`): the body in a two-column section after a one-column title page; or
  justified text with automatic hyphenation and narrower margins;
- chromium: Debian's Chromium printing the same report page to PDF;
- chromium-hrules, chromium-two-column, chromium-zebra: the same page restyled (tables ruled only
  across on a white page; two justified columns; rows shaded alternately, serif, justified; two ragged
  columns with ruled tables; Letter pages with tables ruled only above, under the header and below;
  generous leading with paragraphs barely apart; A5 pages at 9 pt; headings and title in capitals);
- groff, groff-two-column, groff-hrules: tests/extract/troff_producer.py;
- latex, latex-two-column: tests/extract/latex_producer.py;
- *-redistilled: a committed PDF printed through a PostScript driver and distilled again (Ghostscript:
  ps2write, then pdfwrite), see `_redistil`.

LibreOffice, Chromium, groff, LaTeX and Ghostscript are needed only here (docs/pdf-extraction.md
names the Debian packages): the PDFs are committed, so the tests read them without any of them.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ingestion.document import Document
from ingestion.extract.text import extract_text
from tests.extract import builders, latex_producer, troff_producer

FIXTURES = builders.ROOT / "tests" / "fixtures" / "pdf"
VARIANT_INDEX = 5  # bench corpus report number used as the generated variant (a 2024-framework report)
# Re-distilled producers: an existing producer's PDF printed through a PostScript driver to PDF again.
# The first keep a text layer; the last two lose it (their fonts carry neither glyph names nor a
# ToUnicode map after the round trip), so their PDFs must be refused with a reason, not read.
REDISTILLED = {f"{source}-redistilled": source for source in ("reportlab", "groff", "groff-hrules")}
UNREADABLE = {f"{source}-redistilled": source for source in ("libreoffice-docx", "chromium")}
# The report page printed by Chromium in other styles (the CSS of each is in `produce`).
_RESTYLED = (
    "chromium-hrules",
    "chromium-two-column",
    "chromium-zebra",
    "chromium-two-column-ruled",
    "chromium-booktabs",
    "chromium-loose",
    "chromium-a5",
    "chromium-capitals",
)
# Word documents laid out as their writers do; the layout is applied by `_docx_layout`.
DOCX_LAYOUTS = ("libreoffice-docx-two-column", "libreoffice-docx-hyphenated")
PRODUCERS = (
    "reportlab",
    "fpdf2",
    "libreoffice-html",
    "libreoffice-docx",
    *DOCX_LAYOUTS,
    "chromium",
    *troff_producer.LAYOUTS,
    *_RESTYLED,
    *latex_producer.LAYOUTS,
    *REDISTILLED,
    *UNREADABLE,
)
# The tool each producer needs beyond Python packages (none for reportlab and fpdf2).
_TOOLS = {"libreoffice-html": "soffice", "libreoffice-docx": "soffice", "chromium": "chromium"}
_TOOLS |= dict.fromkeys(_RESTYLED, "chromium") | dict.fromkeys(troff_producer.LAYOUTS, "groff")
_TOOLS |= dict.fromkeys(DOCX_LAYOUTS, "soffice")
_TOOLS |= dict.fromkeys(latex_producer.LAYOUTS, "pdflatex") | dict.fromkeys(REDISTILLED | UNREADABLE, "gs")
_NUMBERED = re.compile(r"^(\d{1,2})\.\s+")
_FOOTNOTE = re.compile(r"^([\u00b9\u00b2\u00b3\u2074-\u2079])\s+(?=The rating)")
_SHADES = {"Outstanding": "B7DDB0", "Good": "D5E8C4", "Requires improvement": "FFE699", "Inadequate": "F4B6B6"}
# Print styling of the report page: borderless tables with vertically centred cells, as on the site.
# A page break between two bullet lists would hide the only sign that a second list starts (the
# seeds lost their "Areas for improvement" labels), so the producers are asked not to break there.
_PRINT_CSS = """
@page { size: A4; margin: 2cm 2cm 2.2cm 2cm; }
body { font-family: 'DejaVu Sans', sans-serif; font-size: 10pt; line-height: 1.3; }
header nav ul, footer { font-size: 8pt; }
table.data { border-collapse: collapse; width: 100%; }
table.data td, table.data th { vertical-align: middle; text-align: left; padding: 3pt 6pt; border: none; }
table.data th { background: #dde4ee; }
h2 { font-size: 14pt; } h3 { font-size: 12pt; }
ul + ul { page-break-before: avoid; break-before: avoid; }
"""

# Tables ruled only across (a rule under each row, none between cells) and a page painted white: a
# page-sized background fill that is not a rule, as many office and web exports draw.
_HRULES_CSS = """
html, body { background: #ffffff; }
table.data td, table.data th { border-bottom: 0.75pt solid #555; padding: 2pt 6pt; }
table.data th { background: none; font-weight: bold; }
"""

# Two columns set by the browser (CSS multi-column), justified: tables, lists and headings inside a
# narrow column, lines of both columns at the same heights, a list or table going on in the next column.
_TWO_COLUMN_CSS = """
article { column-count: 2; column-gap: 0.8cm; }
p, li { text-align: justify; }
table.data { font-size: 8pt; }
table.data td, table.data th { padding: 1pt 2pt; }
h1, h2, h3 { break-after: avoid; }
"""

# Rows told apart by alternate shading only (no rule), a serif face, justified text: a table's shaded
# header repeated on the next page stands alone above the rest of a row split by the break.
_ZEBRA_CSS = """
body { font-family: 'DejaVu Serif', serif; }
p, li { text-align: justify; }
table.data td, table.data th { padding: 2pt 4pt; }
table.data tr:nth-child(even) td { background: #e8eef6; }
"""

# Two ragged columns with every table cell bordered: ruled tables inside a column, beside the other
# column's rules (link underlines), rows of wrapped questions.
_TWO_COLUMN_RULED_CSS = """
article { column-count: 2; column-gap: 0.6cm; }
table.data { font-size: 8pt; border-collapse: collapse; }
table.data td, table.data th { border: 0.5pt solid #333; padding: 1pt 2pt; }
"""

# US Letter, a sans face, tables ruled only above, under the header and below (booktabs' look in a
# browser): padded body rows between two rules, apart only by their padding.
_BOOKTABS_CSS = """
@page { size: Letter; margin: 1in; }
body { font-family: 'Liberation Sans', sans-serif; font-size: 10.5pt; }
table.data { border-top: 1.2pt solid #000; border-bottom: 1.2pt solid #000; border-collapse: collapse; }
table.data th { background: none; border-bottom: 0.6pt solid #000; }
"""

# Generous leading (1.6) and paragraphs set apart by a third of a line only: the white between
# paragraphs is under the usual gap, and headings the body's size (bold but for their link).
_LOOSE_CSS = """
body { font-size: 12pt; line-height: 1.6; }
p, ul, ol { margin: 0.3em 0; }
h2, h3 { margin: 0.6em 0 0.2em; }
"""
# A5 pages at 9 pt: many more page breaks, tables starting at the top of a page (the score "3/27"
# in the page's top margin, where page numbers are) and wrapped header cells.
_A5_CSS = """
@page { size: A5; margin: 1.2cm; }
body { font-size: 9pt; }
"""

# Headings and the cover's title set in capitals by the style (text-transform), centred header cells,
# the first column of each table in bold.
_CAPITALS_CSS = """
h1, h2, h3 { text-transform: uppercase; letter-spacing: 0.06em; }
table.data th { text-align: center; }
table.data td:first-child { font-weight: bold; }
"""


def text_reports() -> dict[str, str]:
    """Report name -> text version: the samples, and one generated variant."""
    from bench import corpus, seed_text

    reports = {p.stem: p.read_text(encoding="utf-8") for p in builders.seed_paths()}
    spec = corpus.plan(VARIANT_INDEX + 1)[VARIANT_INDEX]
    name = spec.file_name.split("-", 1)[1].rsplit(".", 1)[0]
    reports[f"variant-{name}"] = seed_text.to_tab_tables(corpus.report_text(spec))
    return reports


def print_html(doc: Document) -> str:
    """The new-site report page, styled for print: borderless tables, recommendations as an <ol>."""
    page = builders.build_site_html(doc)
    page = page.replace('<table border="1" width="100%">', '<table class="data">')
    page = page.replace("<style>body { font-family: sans-serif; }</style>", f"<style>{_PRINT_CSS}</style>")
    page = re.sub(r"<ul>(.*?)</ul>", _ordered_list, page, flags=re.DOTALL)
    # Keep the last item of a list with the list after it (LibreOffice reads this inline style only).
    return re.sub(
        r"<li>((?:(?!<li>).)*?</li></ul>\s*<ul>)", r'<li style="page-break-after: avoid">\1', page, flags=re.DOTALL
    )


def _ordered_list(match: re.Match[str]) -> str:
    # A list whose first item is numbered is a recommendations list: the browser draws the numbers.
    items = re.findall(r"<li>(.*?)</li>", match.group(1), flags=re.DOTALL)
    first = _NUMBERED.match(items[0]) if items else None
    if first is None:
        return match.group(0)
    body = "".join(f"<li>{_NUMBERED.sub('', item, count=1)}</li>" for item in items)
    return f'<ol start="{first.group(1)}">{body}</ol>'


def build_docx(doc: Document, layout: str = "") -> bytes:
    """A Word document of the report: real tables, Word numbering and bullets, header and footer;
    `layout` one of `DOCX_LAYOUTS` (see `_docx_layout`)."""
    from io import BytesIO

    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    word = docx.Document()
    section = word.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.2)
    word.styles["Normal"].font.name = "DejaVu Sans"
    word.styles["Normal"].font.size = Pt(10)
    section.header.paragraphs[0].text = builders.RUNNING_HEADER
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_field(footer)
    groups = builders.group_blocks(doc)
    usable = _docx_layout(word, layout, groups)
    notes = _footnotes(groups)
    for group in groups:
        if layout.endswith("two-column") and group is _first_body_group(groups):
            _two_column_section(word)
        if group.kind == "paragraph":
            text = group.items[0]
            if text in notes.values():
                continue  # printed as a Word footnote at the foot of the page instead
            para = word.add_paragraph()
            _add_text_with_footnotes(para, text, notes)
            para.paragraph_format.space_before = Pt(6 if group.gap_before else 0)
        elif group.kind == "list":
            numbered = _NUMBERED.match(group.items[0]) is not None
            if group.gap_before and word.paragraphs:
                word.paragraphs[-1].paragraph_format.keep_with_next = True  # never break between two lists
            for i, item in enumerate(group.items):
                style = "List Number" if numbered else "List Bullet"
                para = word.add_paragraph(_NUMBERED.sub("", item, count=1) if numbered else item, style=style)
                if group.gap_before and i == 0:
                    _space_before(para, Pt(8))
        else:
            _docx_table(word, builders._rectangular(group.rows), usable)
    _add_footnotes_part(word, list(notes.values()))
    out = BytesIO()
    word.save(out)
    return out.getvalue()


def _first_body_group(groups: list[builders.Group]) -> builders.Group | None:
    """The first heading or table: the report's opening lines before it make its title page."""
    return next((g for g in groups if g.kind != "paragraph" or builders.heading_level(g.items[0])), None)


def _docx_layout(word, layout: str, groups: list[builders.Group]) -> int:  # noqa: ANN001 - a docx Document
    """Apply a `DOCX_LAYOUTS` layout; return the width a table may take.

    - two-column: the title page in one column, then a section break (new page) and the body in two
      columns 0.8 cm apart, as Word's Layout > Columns > Two "from this point forward" makes; tables
      fit the column;
    - hyphenated: Normal justified (lists too: their styles are based on it), automatic hyphenation
      on (File > Options > Hyphenation: settings.xml w:autoHyphenation), British English, "Narrow"
      1.27 cm margins."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    section = word.sections[0]
    if layout.endswith("hyphenated"):
        section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Cm(1.27)
        word.styles["Normal"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        hyphenation = OxmlElement("w:autoHyphenation")
        word.settings.element.find(qn("w:defaultTabStop")).addnext(hyphenation)
        for lang in word.styles.element.iter(qn("w:lang")):
            lang.set(qn("w:val"), "en-GB")
    usable = section.page_width - section.left_margin - section.right_margin
    return (usable - Cm(0.8)) // 2 if layout.endswith("two-column") else usable


def _two_column_section(word) -> None:  # noqa: ANN001 - a docx Document
    from docx.enum.section import WD_SECTION
    from docx.oxml.ns import qn
    from docx.shared import Cm

    body = word.add_section(WD_SECTION.NEW_PAGE)
    columns = body._sectPr.find(qn("w:cols"))
    if columns is None:
        columns = body._sectPr.makeelement(qn("w:cols"), {})
        body._sectPr.append(columns)
    columns.set(qn("w:num"), "2")
    columns.set(qn("w:space"), str(Cm(0.8).twips))


def _docx_table(word, rows: list[list[str]], usable: int) -> None:  # noqa: ANN001 - a docx Document
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    table = word.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    table.autofit = False
    # Fixed widths narrower than the content: long questions and "Requires improvement" wrap.
    shares = builders._column_shares(rows)
    # A 3 cm rating column: "Requires improvement" wraps beside one-line neighbours.
    widths = [Cm(3.0) if any(r[c] in _SHADES for r in rows) else int(usable * share) for c, share in enumerate(shares)]
    small = sum(widths) > usable
    if small:
        widths = _fit_column(rows, widths, usable)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the table grid, which LibreOffice lays out by
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.width = widths[c]
            cell.text = value
            if small and value:
                cell.paragraphs[0].runs[0].font.size = Pt(8)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            if value in _SHADES:
                shade = OxmlElement("w:shd")
                shade.set(qn("w:val"), "clear")
                shade.set(qn("w:fill"), _SHADES[value])
                cell._tc.get_or_add_tcPr().append(shade)


def _fit_column(rows: list[list[str]], widths: list[int], usable: int) -> list[int]:
    """A table wider than its (newspaper) column, as a Word user fixes it (with 8 pt text, see
    `_docx_table`): rating columns cut to 2.4 cm, each other column at least as wide as its longest
    word, and shrunk in proportion to fit."""
    from docx.shared import Cm

    least = [Cm(0.45 + 0.17 * max((len(w) for r in rows for w in r[c].split()), default=1)) for c in range(len(widths))]
    kept = [c for c in range(len(widths)) if any(row[c] in _SHADES for row in rows)]
    spare = usable - Cm(2.4) * len(kept)
    others = sum(w for c, w in enumerate(widths) if c not in kept)
    return [Cm(2.4) if c in kept else max(least[c], int(w * spare / others)) for c, w in enumerate(widths)]


def _footnotes(groups: list[builders.Group]) -> dict[str, str]:
    """Superscript marker -> footnote paragraph, for the methodology notes under the key-question tables
    (other notes of the seeds sit where the original pages ended, which a new layout cannot keep)."""
    notes: dict[str, str] = {}
    for group in groups:
        text = group.items[0] if group.kind == "paragraph" else ""
        marker = _FOOTNOTE.match(text)
        if marker and any(f"rating{marker[1]}" in g.items[0] for g in groups if g.kind == "paragraph"):
            notes[marker[1]] = text
    return notes


def _add_text_with_footnotes(paragraph, text: str, notes: dict[str, str]) -> None:  # noqa: ANN001 - docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for i, piece in enumerate(re.split(f"([{''.join(notes)}])", text) if notes else [text]):
        if i % 2 == 0:
            paragraph.add_run(piece)
            continue
        run = paragraph.add_run()
        superscript = OxmlElement("w:vertAlign")
        superscript.set(qn("w:val"), "superscript")
        run._r.get_or_add_rPr().append(superscript)
        reference = OxmlElement("w:footnoteReference")
        reference.set(qn("w:id"), str(list(notes).index(piece) + 1))
        run._r.append(reference)


def _add_footnotes_part(word, texts: list[str]) -> None:  # noqa: ANN001 - a docx Document
    """python-docx writes no footnotes: add the part (separators, then one note per text) by hand."""
    from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    separators = (
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
    )
    small = '<w:rPr><w:sz w:val="16"/></w:rPr>'
    notes = "".join(
        f'<w:footnote w:id="{i}"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/><w:sz w:val="16"/></w:rPr>'
        f'<w:footnoteRef/></w:r><w:r>{small}<w:t xml:space="preserve"> {html.escape(_FOOTNOTE.sub("", text))}'
        "</w:t></w:r></w:p></w:footnote>"
        for i, text in enumerate(texts, 1)
    )
    xml = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{ns}">{separators}{notes}</w:footnotes>'
    part = Part(PackURI("/word/footnotes.xml"), CONTENT_TYPE.WML_FOOTNOTES, xml.encode("utf-8"), word.part.package)
    word.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)


def _space_before(paragraph, space) -> None:  # noqa: ANN001 - a docx Paragraph and Length
    """Space above a list item: Word's list style drops it between paragraphs of one style unless told."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph.paragraph_format.space_before = space
    paragraph.paragraph_format.space_after = 0
    contextual = OxmlElement("w:contextualSpacing")
    contextual.set(qn("w:val"), "0")
    paragraph._p.get_or_add_pPr().append(contextual)


def _page_field(paragraph) -> None:  # noqa: ANN001 - a docx Paragraph
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, None), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:t")
            element.text = "1"
        run._r.append(element)


def _soffice(source: Path, filter_name: str, work: Path) -> bytes:
    profile = work / "lo-profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            f"pdf:{filter_name}",
            "--outdir",
            str(work / "out"),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return (work / "out" / f"{source.stem}.pdf").read_bytes()


def _chromium(source: Path, work: Path) -> bytes:
    target = work / f"{source.stem}.chromium.pdf"
    subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            f"--user-data-dir={work / 'chromium-profile'}",
            f"--print-to-pdf={target}",
            source.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return target.read_bytes()


def _redistil(source: Path, work: Path) -> bytes:
    """Print a PDF the way a "print to PDF" driver path does: PDF -> PostScript -> PDF, as pdf2ps |
    ps2pdf (Ghostscript's ps2write, then pdfwrite with the /printer settings a print queue uses).

    What changes (seen in the Ghostscript 10.0 output of the committed fixtures):
    - text is re-set line by line as TJ arrays of explicit kerns, spaces often dropped; glyphs are
      shown in the order the driver met them, so a right-aligned contents page number comes first
      and a kern of ~378 em runs back to its entry;
    - fonts are re-embedded as new subsets (BSPAZG+Times-Roman) without ToUnicode maps and without
      /FontWeight: PDFium estimates weights from stem widths (regular 695-712, bold 816);
    - Type 1 fonts keep glyph names, so their text maps; TrueType subsets lose their names (post
      table format 3) and every glyph outside ASCII gets a new code 1, 2, 3 ... (bullet, en dash,
      copyright, superscript digits): PDFium reports a Unicode mapping error for each;
    - fonts that had only a ToUnicode map (LibreOffice's and Chromium's subsets) come back with no
      text at all: bare TrueType codes (LibreOffice) or Type 3 fonts whose glyph names "a1", "a2" ...
      the Adobe glyph list maps to dingbats (Chromium): the `UNREADABLE` producers;
    - rules and fills are re-drawn as m/l/h paths under clip paths (W n), rectangles as filled paths.
    """
    postscript, target = work / "printed.ps", work / "redistilled.pdf"
    common = ["gs", "-q", "-dSAFER", "-dNOPAUSE", "-dBATCH"]
    subprocess.run(
        [*common, "-sDEVICE=ps2write", f"-sOutputFile={postscript}", str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    subprocess.run(
        [*common, "-sDEVICE=pdfwrite", "-dPDFSETTINGS=/printer", f"-sOutputFile={target}", str(postscript)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return target.read_bytes()


def produce(producer: str, doc: Document, name: str, work: Path) -> bytes:
    if producer in REDISTILLED | UNREADABLE:
        # Re-distil the committed PDF of the first producer: what a print path does to a finished file.
        return _redistil(FIXTURES / (REDISTILLED | UNREADABLE)[producer] / f"{name}.pdf", work)
    if producer in troff_producer.LAYOUTS:
        return troff_producer.build_groff_pdf(doc, producer)
    if producer in latex_producer.LAYOUTS:
        return latex_producer.build_latex_pdf(doc, producer)
    if producer == "reportlab":
        return builders.build_reportlab_pdf(doc)
    if producer == "fpdf2":
        return builders.build_fpdf_pdf(doc)
    if producer == "libreoffice-docx" or producer in DOCX_LAYOUTS:
        source = work / f"{name}.docx"
        source.write_bytes(build_docx(doc, producer.removeprefix("libreoffice-docx")))
        return _soffice(source, "writer_pdf_Export", work)
    source = work / f"{name}.html"
    source.write_text(print_html(doc), encoding="utf-8")
    if producer == "libreoffice-html":
        return _soffice(source, "writer_web_pdf_Export", work)
    extra_css = {
        "chromium-hrules": _HRULES_CSS,
        "chromium-two-column": _TWO_COLUMN_CSS,
        "chromium-zebra": _ZEBRA_CSS,
        "chromium-two-column-ruled": _TWO_COLUMN_RULED_CSS,
        "chromium-booktabs": _BOOKTABS_CSS,
        "chromium-loose": _LOOSE_CSS,
        "chromium-a5": _A5_CSS,
        "chromium-capitals": _CAPITALS_CSS,
    }.get(producer)
    if extra_css:
        source.write_text(print_html(doc).replace("</style>", extra_css + "</style>", 1), encoding="utf-8")
    return _chromium(source, work)


def main(argv: list[str] | None = None) -> int:
    wanted = set(argv or PRODUCERS)
    missing = sorted({_TOOLS[p] for p in wanted if p in _TOOLS and shutil.which(_TOOLS[p]) is None})
    if missing:
        print(
            f"needs {', '.join(missing)}: apt-get install libreoffice-writer-nogui hyphen-en-gb chromium groff ghostscript",
            file=sys.stderr,
        )
        return 2
    text_dir = FIXTURES / "text"
    text_dir.mkdir(parents=True, exist_ok=True)
    for name, text in text_reports().items():
        if name.startswith("variant-"):
            (text_dir / f"{name}.txt").write_text(text, encoding="utf-8")
        doc = extract_text(text.encode("utf-8"))
        for producer in PRODUCERS:
            if producer not in wanted:
                continue
            with tempfile.TemporaryDirectory() as tmp:
                data = produce(producer, doc, name, Path(tmp))
            target = FIXTURES / producer / f"{name}.pdf"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            print(f"{target.relative_to(builders.ROOT)}: {len(data) // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
