"""Characters whose font gives no Unicode, and text layers that are not readable text.

A PDF printed through a PostScript driver and distilled again often re-embeds its fonts as subsets
without glyph names or a ToUnicode map. PDFium then reports the bare character code (U+0001, U+0003 ...)
for every glyph the new encoding moved, and flags it as a mapping error. Such a glyph is named by its
shape only where the shape is unmistakable (a bullet, a dash); any other is U+FFFD, never a guessed
letter. Where most of a document's characters are unmapped, or mapped to symbols (glyph names such as
"a1" that the Adobe glyph list sends to dingbats), the text layer is not the report's text: extraction
stops with a reason instead of handing garbage to the parser.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from ingestion.errors import ExtractionError

UNMAPPED = "\ufffd"
# Symbols a report's text uses (list bullets, copyright and the like): readable ones.
_READABLE_SYMBOLS = frozenset("•▪●◦▫■□►▶✓©®™°")
# At most this share of a document's visible characters may be unreadable (unmapped glyphs, symbols
# outside the bullets, private-use or control codes) before its text layer is judged unusable.
MAX_UNREADABLE_SHARE = 0.2


def glyph_by_shape(width: float, height: float, centre: float, size: float) -> str:
    """The character an unmapped glyph must be, from its ink box (width, height and the height of its
    centre above the baseline, in points) at font size `size`; U+FFFD when the shape could be several.

    A bullet is a roughly square blob near the middle of the x-height; a dash a thin bar there, whose
    length tells a hyphen (~0.3 em), an en dash (~0.5 em) and an em dash (~1 em) apart.
    """
    if size <= 0 or height <= 0:
        return UNMAPPED
    w, h, c = width / size, height / size, centre / size
    if 0.15 <= w <= 0.5 and 0.15 <= h <= 0.5 and 0.7 <= w / h <= 1.4 and 0.2 <= c <= 0.5:
        return "•"
    if h <= 0.12 and 0.15 <= c <= 0.45 and w / h >= 2.5:
        if 0.15 <= w < 0.35:
            return "-"
        if 0.35 <= w <= 0.7:
            return "–"
        if 0.7 < w <= 1.1:
            return "—"
    return UNMAPPED


def readable(ch: str) -> bool:
    """A letter, digit, punctuation, space, currency or maths sign, a list bullet or a copyright sign."""
    return ch in _READABLE_SYMBOLS or unicodedata.category(ch)[0] in "LNPZ" or unicodedata.category(ch) in ("Sc", "Sm")


def check_readable(words: Iterable[str]) -> list[tuple[str, str]]:
    """Raise when the text layer is mostly unreadable; else a warning when some glyphs had no Unicode."""
    total = unreadable = unmapped = 0
    for word in words:
        total += len(word)
        for ch in word:
            if not readable(ch):
                unreadable += 1
                unmapped += ch == UNMAPPED
    if total and unreadable > MAX_UNREADABLE_SHARE * total:
        raise ExtractionError(
            f"PDF text layer is not readable text: {unreadable} of its {total} characters are unmapped glyphs "
            "or symbols (fonts embedded without a Unicode mapping, as some print-to-PDF paths leave them): "
            "export the report again from its source, or OCR it"
        )
    if unmapped:
        return [("text layer", f"{unmapped} glyph(s) have no Unicode mapping in their font: read as U+FFFD")]
    return []
