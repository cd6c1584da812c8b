"""A cover whose title is set in capitals (a style's text-transform) still gives the PDU and region."""

from __future__ import annotations

from ingestion.document import Block, BlockKind
from ingestion.parse.cover import parse_cover


def _cover(title: str) -> list[Block]:
    return [
        Block(BlockKind.PARAGRAPH, title),
        Block(BlockKind.PARAGRAPH, "HM Inspectorate of Probation, July 2023"),
    ]


def test_a_title_in_capitals_gives_the_directory_spelling() -> None:
    cover = parse_cover(
        _cover(
            "AN INSPECTION OF PROBATION SERVICES IN: PORTSMOUTH AND THE ISLE OF WIGHT PDU "
            "THE PROBATION SERVICE – SOUTH CENTRAL REGION"
        )
    )
    assert (cover.pdu, cover.region) == ("Portsmouth and the Isle of Wight", "South Central")


def test_a_pdu_in_capitals_the_directory_does_not_list_is_recased() -> None:
    cover = parse_cover(
        _cover("AN INSPECTION OF PROBATION SERVICES IN: NEWTOWN UPON AVON PDU THE PROBATION SERVICE – WALES")
    )
    assert (cover.pdu, cover.region) == ("Newtown upon Avon", "Wales")


def test_a_title_in_its_own_case_is_kept() -> None:
    cover = parse_cover(
        _cover("An inspection of probation services in: Dorset PDU The Probation Service – South West region")
    )
    assert (cover.pdu, cover.region) == ("Dorset", "South West")
