"""Domain rules of HMI Probation ratings (see docs/domain.md). Checks, never overrides.

The ratings, their points and bands come from ingestion.rating_scale (the `rating_scale` seed); only the
band edge at 50% is confirmed by the samples.
"""

from __future__ import annotations

import re

from ingestion.rating_scale import RATINGS

MAX_STANDARDS = 10

# Any rating phrase, its words separated by any whitespace ("Requires\nimprovement").
RATING_ALTERNATIVES = "|".join(r"\s+".join(map(re.escape, rating.split())) for rating in RATINGS)
RATING_PATTERN = re.compile(rf"\b({RATING_ALTERNATIVES})\b", re.IGNORECASE)


def normalise_rating(text: str) -> str | None:
    """The first rating phrase in `text`, in its canonical spelling, or None."""
    match = RATING_PATTERN.search(text)
    if not match:
        split = trailing_rating(text)
        return split[1] if split else None
    words = " ".join(match.group(1).split()).lower()
    return next(r for r in RATINGS if r.lower() == words)


_SQUASHED_RATINGS = [(rating, re.sub(r"[^a-z]", "", rating.lower())) for rating in RATINGS]


def trailing_rating(text: str) -> tuple[str, str] | None:
    """(text before, rating) when `text` ends with a rating whose word a converter split ("Outstandi ng")."""
    letters = [i for i, ch in enumerate(text) if ch.isalpha()]
    tail = "".join(text[i] for i in letters).lower()
    for rating, squashed in _SQUASHED_RATINGS:
        if tail.endswith(squashed):
            start = letters[len(letters) - len(squashed)]
            return text[:start].rstrip(), rating
    return None


def framework_for(codes_and_names: list[tuple[str, str]], prefixed: bool) -> str:
    """pdu-2023 (9 rated, court work at 2.1) or pdu-2024 (7 rated, "P " codes); unknown otherwise."""
    names = {code: name.lower() for code, name in codes_and_names}
    if prefixed or (len(names) == 7 and names.get("2.1", "").startswith("assessment")):
        return "pdu-2024"
    if len(names) == 9 or names.get("2.1", "").startswith("court"):
        return "pdu-2023"
    return "unknown"
