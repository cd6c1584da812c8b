"""Reference facts the gate checks a parse against, read from their one source: the dbt seeds.

The twelve regions, the PDU directory with its aliases, and which standard each framework code is
(`standard_keys`, `framework_standards`). dbt loads the same files into `reference.*`.
"""

from __future__ import annotations

import csv
from functools import cache

from config.settings import DBT_PROJECT_DIR

SEEDS = DBT_PROJECT_DIR / "seeds"


def _rows(name: str) -> list[dict[str, str]]:
    with (SEEDS / f"{name}.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _plain(name: str) -> str:
    return " ".join(name.lower().replace("&", "and").split())


@cache
def regions() -> frozenset[str]:
    return frozenset(row["region"] for row in _rows("regions"))


@cache
def known_pdu_names() -> frozenset[str]:
    """Directory names and aliases, case and spacing made plain."""
    names = {row["pdu_name"] for row in _rows("pdu_directory")} | {row["alias"] for row in _rows("pdu_aliases")}
    return frozenset(_plain(name) for name in names)


def is_known_pdu(name: str) -> bool:
    return _plain(name) in known_pdu_names()


@cache
def _spellings() -> dict[str, str]:
    """Plain name -> the directory's spelling of it (an alias maps to its own spelling, unless it plains to
    a directory name: "Portsmouth & the Isle of Wight" is spelt as the directory does)."""
    rows = [row["alias"] for row in _rows("pdu_aliases")] + [row["pdu_name"] for row in _rows("pdu_directory")]
    return {_plain(name): name for name in rows}


def directory_spelling(name: str) -> str | None:
    """The directory's (or an alias's) spelling of `name`, whatever its case: None when it lists none."""
    return _spellings().get(_plain(name))


@cache
def standard_keys() -> dict[tuple[str, str], str]:
    """(framework, code) -> standard key, e.g. ("pdu-2024", "2.1") -> "assessment"."""
    return {(row["framework"], row["standard_code"]): row["standard_key"] for row in _rows("standard_keys")}


@cache
def standard_names() -> dict[tuple[str, str], str]:
    """(framework, code) -> the standard's printed name, e.g. ("pdu-2023", "2.1") -> "Court work"."""
    return {(row["framework"], row["standard_code"]): row["standard_name"] for row in _rows("framework_standards")}
