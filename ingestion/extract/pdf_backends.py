"""PDF libraries -> positioned `Page`s for the layout module.

pypdfium2 (PDFium, C++) is the production backend: it is several times faster than
pdfplumber and gives the same words and rules on our reports (see docs/pdf-extraction.md).
The pdfplumber backend stays for the benchmark and as a cross-check in the tests.
"""

from __future__ import annotations

import ctypes
import io
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import replace

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ingestion.errors import ExtractionError
from ingestion.extract.pdf_geometry import Page, Rule, Word, edges_of_box, is_mark
from ingestion.extract.pdf_glyphs import UNMAPPED, glyph_by_shape

NORMAL_WEIGHT, BOLD_WEIGHT = 400, 700
MIN_RULE_LENGTH = 4.0  # smaller paths are glyph decorations, not table borders


class Budget:
    """Page and time limits, so that a hostile PDF can never hang a run."""

    def __init__(self, max_pages: int, seconds: float) -> None:
        self.max_pages = max_pages
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds

    def check_pages(self, n_pages: int) -> None:
        if n_pages > self.max_pages:
            raise ExtractionError(f"PDF has {n_pages} pages, more than the {self.max_pages} a report can have")

    def check_time(self, done: int) -> None:
        if time.monotonic() > self.deadline:
            raise ExtractionError(f"PDF extraction exceeded its {self.seconds:g}s time budget after {done} pages")


def open_pdfium(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            raise ExtractionError("encrypted PDF: it needs a password to open") from exc
        if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_SECURITY:
            raise ExtractionError("encrypted PDF: unsupported security handler") from exc
        raise ExtractionError(f"corrupt PDF: PDFium cannot open it ({exc})") from exc


def pdfium_pages(data: bytes, budget: Budget) -> list[Page]:
    pdf = open_pdfium(data)
    try:
        budget.check_pages(len(pdf))
        pages = []
        weights: list[int] = []  # each word's font weight, in page and word order
        for index in range(len(pdf)):
            budget.check_time(index)
            page = pdf[index]
            try:
                pages.append(_pdfium_page(page, budget, index, weights))
            finally:
                page.close()
        return bold_against_body(pages, weights)
    finally:
        pdf.close()


def _pdfium_page(page: pdfium.PdfPage, budget: Budget, index: int, weights: list[int]) -> Page:
    width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        words = []
        for word, weight in _pdfium_words(textpage, height, budget, index):
            words.append(word)
            weights.append(weight)
    finally:
        textpage.close()
    rules: list[Rule] = []
    marks: list[Rule] = []
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=3):
        left, bottom, right, top = obj.get_bounds()
        box = (left, height - top, right, height - bottom)
        fill, stroke = _visible_paint(obj)
        if is_mark(*box) and fill:
            marks.append(Rule(*box))
        elif (
            (fill or stroke) and max(right - left, top - bottom) >= MIN_RULE_LENGTH and not _covers(box, width, height)
        ):
            rules.extend(edges_of_box(*box))
    return Page(width, height, tuple(words), tuple(rules), tuple(marks))


def _covers(box: tuple[float, float, float, float], width: float, height: float) -> bool:
    """A background painted behind the page's content (white or coloured) bounds nothing."""
    x0, top, x1, bottom = box
    return (x1 - x0) * (bottom - top) >= 0.8 * width * height


def _visible_paint(obj: pdfium.PdfObject) -> tuple[bool, bool]:
    """(visibly filled, visibly stroked): only what a reader sees drawn can be a rule or a bullet.

    A white or transparent fill (page and cell backgrounds) and a stroke of no width or in white are
    invisible: taking their edges for rules made every line of a page look boxed.
    """
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj.raw, ctypes.byref(fill_mode), ctypes.byref(stroke)):
        return False, False
    filled = fill_mode.value != pdfium_c.FPDF_FILLMODE_NONE and _visible_colour(obj, pdfium_c.FPDFPageObj_GetFillColor)
    stroked = bool(stroke.value) and _visible_colour(obj, pdfium_c.FPDFPageObj_GetStrokeColor)
    if stroked:
        width = ctypes.c_float()
        stroked = bool(pdfium_c.FPDFPageObj_GetStrokeWidth(obj.raw, ctypes.byref(width))) and width.value > 0.05
    return filled, stroked


def _visible_colour(obj: pdfium.PdfObject, getter: Callable[..., int]) -> bool:
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not getter(obj.raw, ctypes.byref(r), ctypes.byref(g), ctypes.byref(b), ctypes.byref(a)):
        return True  # a pattern or other paint PDFium cannot reduce to one colour: assume it shows
    return a.value > 0 and min(r.value, g.value, b.value) < 245


def _pdfium_words(
    textpage: pdfium.PdfTextPage, height: float, budget: Budget, index: int
) -> Iterator[tuple[Word, int]]:
    """Group PDFium's characters into words: a word ends at whitespace or where the glyphs stop touching."""
    chars: list[tuple[str, float, float, float, float, float]] = []
    weight = NORMAL_WEIGHT
    name = ctypes.create_string_buffer(64)
    checking = True  # whether to ask PDFium if this glyph has a Unicode mapping (see below)
    for i in range(textpage.count_chars()):
        if i % 4096 == 4095:
            budget.check_time(index)
        code = pdfium_c.FPDFText_GetUnicode(textpage, i)
        # A glyph without mapping comes as its bare code: below U+0020 in the re-encoded subsets of a
        # print driver, anything in a font with no mapping at all. So ask for control codes and the
        # first glyph after a space, and for every glyph of a word that starts unmapped: one call per
        # word, not per character, on ordinary text.
        if (code < 32 or checking) and pdfium_c.FPDFText_HasUnicodeMapError(textpage, i):
            ch = _unmapped_glyph(textpage, i)  # a bare character code: never taken for a letter
        else:
            checking = False
            ch = "-" if code == 2 else chr(code)  # PDFium marks a hyphen at a line end as U+0002
        if code == 0 or ch.isspace() or ch == "\ufffe":
            if chars and pdfium_c.FPDFText_IsGenerated(textpage, i) and _hyphen_at_margin(textpage, i + 1, chars[-1]):
                continue  # a space PDFium made up, not in the file: the hyphen stays with its word
            yield from _word(chars, weight)
            chars = []
            checking = True
            continue
        left, bottom, right, top = textpage.get_charbox(i, loose=True)
        size = pdfium_c.FPDFText_GetFontSize(textpage, i)
        if chars and (
            (left - chars[-1][2] > 0.15 * size and not _hyphen_at_margin(textpage, i, chars[-1]))
            or abs((height - top) - chars[-1][3]) > 0.5 * size
            or _goes_back(left, chars[-1], size)
        ):
            yield from _word(chars, weight)
            chars = []
        if not chars:  # a word's weight is its first glyph's: one lookup per word, not per character
            weight = _weight(textpage, i, name)
        chars.append((ch, left, right, height - top, height - bottom, size))
    yield from _word(chars, weight)


def _hyphen_at_margin(
    textpage: pdfium.PdfTextPage, i: int, previous: tuple[str, float, float, float, float, float]
) -> bool:
    """Whether glyph `i` is a hyphen ending its line nearer its word than a word space: a justifying
    word processor sets the hyphen of a word it broke flush with the right margin, a little away from
    the word ("ur -" / "gent"; PDFium may even make up a space for the gap)."""
    count = textpage.count_chars()
    if i >= count or pdfium_c.FPDFText_GetUnicode(textpage, i) not in (ord("-"), 2, 0xAD):
        return False
    after = pdfium_c.FPDFText_GetUnicode(textpage, i + 1) if i + 1 < count else ord("\n")
    if after not in (ord("\r"), ord("\n")) and pdfium_c.FPDFText_GetUnicode(textpage, i) != 2:
        return False  # PDFium marks a hyphen it found at a line end U+0002, or a line break follows
    left = textpage.get_charbox(i, loose=True)[0]
    return 0 <= left - previous[2] < 0.25 * previous[5]  # a word space is wider (0.25-0.33 em at least)


def _goes_back(left: float, previous: tuple[str, float, float, float, float, float], size: float) -> bool:
    """A glyph set well left of the one before it starts another word: re-distilled PDFs show text in
    whatever order the driver wrote it (a right-aligned page number before its entry), not as read."""
    return left < previous[1] and left - previous[2] < -0.3 * size


def _unmapped_glyph(textpage: pdfium.PdfTextPage, i: int) -> str:
    """A glyph without Unicode, named by its ink box against its baseline (pdf_glyphs.glyph_by_shape)."""
    left, bottom, right, top = textpage.get_charbox(i)
    x, y = ctypes.c_double(), ctypes.c_double()
    if not pdfium_c.FPDFText_GetCharOrigin(textpage, i, ctypes.byref(x), ctypes.byref(y)):
        return UNMAPPED
    size = pdfium_c.FPDFText_GetFontSize(textpage, i)
    return glyph_by_shape(right - left, top - bottom, (top + bottom) / 2 - y.value, size)


def _weight(textpage: pdfium.PdfTextPage, i: int, name: ctypes.Array[ctypes.c_char]) -> int:
    """The font's weight, or one read from its name where none is given (standard Type 1 fonts)."""
    weight = pdfium_c.FPDFText_GetFontWeight(textpage, i)
    if weight > 0:
        return weight
    flags = ctypes.c_int()
    if not pdfium_c.FPDFText_GetFontInfo(textpage, i, name, len(name), ctypes.byref(flags)):
        return NORMAL_WEIGHT
    font = name.value.decode("latin-1").lower()
    return (
        BOLD_WEIGHT if any(mark in font for mark in ("bold", "black", "heavy", "semibold", "demi")) else NORMAL_WEIGHT
    )


def bold_against_body(pages: list[Page], weights: list[int]) -> list[Page]:
    """Bold is weight 600 or more, unless the body text itself weighs that much: then bold is what
    weighs clearly more than the body. Where a font descriptor gives no weight, PDFium estimates one
    from the stem width, on its own scale (a re-distilled PDF's regular text reads 695-712, its bold 816).
    """
    by_weight: Counter[int] = Counter()
    for word, weight in zip((w for page in pages for w in page.words), weights, strict=True):
        by_weight[weight] += len(word.text)
    body = by_weight.most_common(1)[0][0] if by_weight else NORMAL_WEIGHT
    if body < BOLD_WEIGHT - 100:
        return pages
    it = iter(weights)
    return [
        replace(page, words=tuple(replace(word, bold=next(it) >= body + 100) for word in page.words)) for page in pages
    ]


def _word(
    chars: list[tuple[str, float, float, float, float, float]], weight: int = NORMAL_WEIGHT
) -> Iterator[tuple[Word, int]]:
    if chars:
        yield (
            Word(
                "".join(c[0] for c in chars),
                min(c[1] for c in chars),
                max(c[2] for c in chars),
                min(c[3] for c in chars),
                max(c[4] for c in chars),
                max(c[5] for c in chars),
                weight >= BOLD_WEIGHT - 100,
            ),
            weight,
        )


def pdfplumber_pages(data: bytes, budget: Budget) -> list[Page]:
    import pdfplumber  # only the benchmark and tests pay for importing pdfminer

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        budget.check_pages(len(pdf.pages))
        pages = []
        for index, page in enumerate(pdf.pages):
            budget.check_time(index)
            words = tuple(
                Word(w["text"], w["x0"], w["x1"], w["top"], w["bottom"], w["size"])
                for w in page.extract_words(extra_attrs=["size"])
            )
            rules = tuple(
                Rule(e["x0"], e["top"], e["x1"], e["bottom"])
                for e in page.edges
                if max(e["x1"] - e["x0"], e["bottom"] - e["top"]) >= MIN_RULE_LENGTH
            )
            pages.append(Page(float(page.width), float(page.height), words, rules))
            page.close()
        return pages
