"""Extractors: one per file format (registered in formats.py), each turning a file into a layout-neutral Document.

Every format runs under the same per-file limits (`limits.py`): a size limit checked before the
bytes are read and a time budget the extractor checks as it goes.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from ingestion.document import Block, Document
from ingestion.errors import ExtractionError
from ingestion.extract.formats import SUPPORTED_SUFFIXES, format_of
from ingestion.extract.limits import FileLimits, file_limits

__all__ = ["SUPPORTED_SUFFIXES", "extract_document", "plain_typography", "read_within_limit"]


def read_within_limit(path: Path, limits: FileLimits | None = None) -> bytes:
    """The file's bytes, refusing before reading when it is over the size limit."""
    limits = limits or file_limits()
    limits.check_size(path.stat().st_size)
    data = path.read_bytes()
    limits.check_size(len(data))  # it may have grown since the stat
    return data


def extract_document(path: Path, data: bytes | None = None, limits: FileLimits | None = None) -> Document:
    """Read `path` (or the given bytes of it) into a Document, choosing the extractor by suffix."""
    report_format = format_of(path)
    if report_format is None:
        raise ExtractionError(
            f"unsupported file type '{path.suffix.lower() or path.name}' (expected one of {', '.join(SUPPORTED_SUFFIXES)})"
        )
    limits = limits or file_limits()
    if data is None:
        data = read_within_limit(path, limits)
    limits.check_size(len(data))
    if not data.strip():
        raise ExtractionError("empty file")
    deadline = limits.deadline(f"{report_format.label} extraction")
    return plain_typography(report_format.extractor(data, deadline, limits))


# Typographic characters PDF and HTML text carries that the parser's patterns should not have to know about:
# ligatures, no-break spaces, soft hyphens. Made plain here, once, for every format.
_TYPOGRAPHY = str.maketrans(
    {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\u00a0": " ", "\u00ad": ""}
)
_TYPOGRAPHIC = re.compile("[\ufb00-\ufb04\u00a0\u00ad]")


def plain_typography(document: Document) -> Document:
    """The document with ligatures spelled out, no-break spaces as spaces and soft hyphens removed."""
    if not any(_TYPOGRAPHIC.search(b.text) for b in document.blocks):  # a row's text holds its cells' text
        return document
    blocks = [
        Block(b.kind, b.text.translate(_TYPOGRAPHY), tuple(c.translate(_TYPOGRAPHY) for c in b.cells), b.gap_before)
        for b in document.blocks
    ]
    return replace(document, blocks=blocks)
