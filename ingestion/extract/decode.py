"""Bytes of a text or markdown conversion -> str, without ever garbling good text.

Text conversions are UTF-8 almost always. A stray byte that is not valid UTF-8 (a Windows
apostrophe pasted into a UTF-8 file, one corrupted byte) must not make the whole file read as
Windows-1252, which turns every "’" of the good text into "â€™". So: decode as UTF-8 and read only
the invalid bytes as Windows-1252 (which recovers pasted punctuation), with a warning naming their
count. A file is read as Windows-1252 as a whole only when most of its non-ASCII bytes do not form
UTF-8: a genuinely single-byte file.
"""

from __future__ import annotations

import re

from ingestion.document import FieldMessage

# "surrogateescape" keeps each invalid byte as a lone surrogate U+DC80..U+DCFF: countable, recoverable.
_ESCAPED = re.compile("[\udc80-\udcff]+")
_NON_ASCII = re.compile("[^\x00-\x7f]")


def _recover(match: re.Match[str]) -> str:
    return bytes(ord(ch) - 0xDC00 for ch in match.group()).decode("cp1252", errors="replace")


def decode_text(data: bytes) -> tuple[str, list[FieldMessage]]:
    """The text of `data` and a warning when some or all of it could not be read as UTF-8."""
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    escaped = data.decode("utf-8-sig", errors="surrogateescape")
    invalid = sum(len(run) for run in _ESCAPED.findall(escaped))
    valid_non_ascii = len(_NON_ASCII.findall(escaped)) - invalid
    if invalid > valid_non_ascii:
        return data.decode("cp1252", errors="replace"), [
            ("encoding", f"file is not UTF-8 ({invalid} non-UTF-8 bytes): read as Windows-1252 text")
        ]
    return _ESCAPED.sub(_recover, escaped), [
        ("encoding", f"{invalid} byte(s) are not valid UTF-8: read as Windows-1252 characters, the rest as UTF-8")
    ]
