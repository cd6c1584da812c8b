"""Rewrite a seed report's text for another inspection: names, dates, ratings table and percentages.

Substitution is textual on purpose: the seed's layout (tab or pipe tables, glued cells, lost
bullets) stays exactly as the converter produced it, so the parser meets the same shapes as on
the real samples. Only values change, and they are changed consistently (see bench/corpus.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingestion.parse.domain import RATING_ALTERNATIVES

MONTHS = "January February March April May June July August September October November December".split()  # noqa: SIM905
_MONTH = "(?:" + "|".join(MONTHS) + ")"
_RATING = re.compile(RATING_ALTERNATIVES)
_PUBLISHED = re.compile(r"(HM Inspectorate of Probation,\s*)" + _MONTH + r"\s+\d{4}")
_COPYRIGHT = re.compile(r"(©\s*Crown copyright\s*)\d{4}")
_FIELDWORK = re.compile(r"(started\s+)" + _MONTH + r"\s+\d{4}")
_START_DATE = re.compile(r"(beginning(?:\s+on)?\s+)\d{1,2}(?:st|nd|rd|th)?\s+" + _MONTH + r"\s+\d{4}")
_RATINGS_START = re.compile(r"(?m)^Ratings[ \t]*$")
_RATINGS_END = re.compile(r"(?m)^Recommendations[ \t]*$")
_ROW_CODE = re.compile(r"^\|?\s*(?:P\s*)?(\d)\s*\.\s*(\d)\b")
_SCORE = re.compile(r"\b\d{1,2}\s*/\s*\d{1,2}\b")
# A key-question (or outcomes) row: a table row whose last cell is a percentage.
_PCT_ROW = re.compile(r"(?m)^((?=[^\n]*[\t|])[^\n]*[\t |])(\d{1,3})%(\s*\|?[ \t]*)$")
_PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-*:?\s*)*\|?\s*$")


@dataclass(frozen=True)
class Values:
    """Everything that differs between two generated reports built on the same seed."""

    names: dict[str, str]  # seed string -> replacement (PDU name, its aliases, region)
    published: tuple[int, int]  # (year, month)
    fieldwork_start: tuple[int, int, int]  # (year, month, day)
    overall: str
    score: int
    max_score: int
    ratings: dict[str, str]  # standard code "2.1" -> rating
    percentages: list[int]  # every key-question row in document order, the outcomes row last


def month_year(year: int, month: int) -> str:
    return f"{MONTHS[month - 1]} {year}"


def _replace_names(text: str, names: dict[str, str]) -> str:
    # Placeholders first so a replacement is never itself replaced (a new PDU name may contain
    # the seed's region, or the other way round). Longest first: aliases share prefixes.
    ordered = sorted(names, key=len, reverse=True)
    for i, old in enumerate(ordered):
        text = re.sub(r"(?<![A-Za-z])" + re.escape(old) + r"(?![a-z])", f"\x00{i}\x00", text)
    for i, old in enumerate(ordered):
        text = text.replace(f"\x00{i}\x00", names[old])
    return text


def _rewrite_ratings_table(text: str, values: Values) -> str:
    start = _RATINGS_START.search(text)
    end = _RATINGS_END.search(text, start.end()) if start else None
    if not start or not end:
        raise ValueError("seed has no 'Ratings' ... 'Recommendations' section")
    lines = text[start.end() : end.start()].split("\n")
    for i, line in enumerate(lines):
        if "overallrating" in re.sub(r"[^a-z]", "", line.lower()):
            lines[i] = _RATING.sub(values.overall, line, count=1)
        elif (m := _ROW_CODE.match(line)) and _RATING.search(line):
            lines[i] = _RATING.sub(values.ratings[f"{m.group(1)}.{m.group(2)}"], line, count=1)
        if _SCORE.search(line):
            lines[i] = _SCORE.sub(f"{values.score}/{values.max_score}", lines[i], count=1)
    return text[: start.end()] + "\n".join(lines) + text[end.start() :]


def _rewrite_percentages(text: str, percentages: list[int]) -> str:
    found = len(_PCT_ROW.findall(text))
    if found != len(percentages):
        raise ValueError(f"seed has {found} percentage rows, {len(percentages)} values given")
    queue = iter(percentages)
    return _PCT_ROW.sub(lambda m: f"{m.group(1)}{next(queue)}%{m.group(3)}", text)


def count_percentage_rows(text: str) -> int:
    return len(_PCT_ROW.findall(text))


def rewrite(seed: str, values: Values) -> str:
    year, month = values.published
    fy, fm, fd = values.fieldwork_start
    text = _replace_names(seed, values.names)
    text = _PUBLISHED.sub(lambda m: m.group(1) + month_year(year, month), text, count=1)
    text = _COPYRIGHT.sub(lambda m: f"{m.group(1)}{year}", text)
    # Table month and background date agree: the seeds' one disagreement would be a rule warning.
    text = _FIELDWORK.sub(lambda m: m.group(1) + month_year(fy, fm), text, count=1)
    text = _START_DATE.sub(lambda m: f"{m.group(1)}{fd:02d} {month_year(fy, fm)}", text, count=1)
    text = _rewrite_ratings_table(text, values)
    return _rewrite_percentages(text, values.percentages)


def _is_tab_row(line: str) -> bool:
    # Same rule as the text extractor: a tab inside the line and two cells once trailing empties go.
    return "\t" in line.strip(" ") and len(line.rstrip().split("\t")) >= 2


def to_pipe_tables(text: str) -> str:
    """Tab-separated rows -> markdown pipe tables (a rule line after each table's first row)."""
    out: list[str] = []
    in_table = False
    for line in text.split("\n"):
        if _is_tab_row(line):
            cells = [c.strip() for c in line.rstrip("\t").split("\t")]
            out.append("| " + " | ".join(cells) + " |")
            if not in_table:
                out.append("|" + "---|" * len(cells))
            in_table = True
        else:
            out.append(line)
            in_table = False
    return "\n".join(out)


def to_tab_tables(text: str) -> str:
    """Markdown pipe tables -> tab-separated rows (rule lines dropped)."""
    out: list[str] = []
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.startswith("|") and stripped.count("|") >= 2:
            if _PIPE_RULE.match(stripped):
                continue
            inner = stripped[1:-1] if stripped.endswith("|") else stripped[1:]
            out.append("\t".join(c.strip() for c in inner.split("|")))
        else:
            out.append(line)
    return "\n".join(out)
