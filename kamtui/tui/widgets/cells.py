"""Table cells made from plan text."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from ...model.text import visible

MAX_CELL = 36  # the home screen's cells; item tables cut theirs to the width they have


def cell(value: Any, style: str = "", width: int | None = MAX_CELL) -> Text:
    """Plan text (or a file name) as a table cell: never markup, one line (the first of a long
    text; ``width`` characters at most, None: no limit, cut with …), its control characters shown as stand-ins (one
    cell each, ``\\x9b`` for C1)."""
    text = "" if value is None else str(value)
    text = visible(text.split("\n", 1)[0])
    if width is not None and len(text) > width:
        text = text[: max(width - 1, 0)] + "…"
    return Text(text, style=style, no_wrap=True, overflow="ellipsis")


def fit(value: Text, width: int) -> Text:
    """A cell cut to ``width`` cells, with … where it was cut."""
    if value.cell_len > width:
        value = value.copy()
        value.truncate(width, overflow="ellipsis")
    return value


# An objective's bar takes the colour of the objective's status (what the KAM says of it), not
# of the percentage: 30 % of the way in the first quarter may well be on track.
STATUS_STYLES = {"achieved": "green", "on-track": "green", "at-risk": "yellow", "off-track": "red", "dropped": "dim"}


def bar(share: float | None, width: int = 12, status: str = "") -> Text:
    """Progress toward a target as a bar and a percentage, coloured by the objective's
    ``status`` (no colour without one; never a colour-only meaning: the status is written
    beside it)."""
    if share is None:
        return Text("—", style="dim")
    filled = round(share * width)
    style = STATUS_STYLES.get(status, "")
    return Text("█" * filled + "░" * (width - filled) + f" {share * 100:3.0f} %", style=style)


def number(value: float | None, unit: str = "") -> str:
    """A number as people write it (12.5, 10, not 10.0); empty when unknown."""
    return "" if value is None else f"{value:g}{unit}"


def money(value: float | None) -> str:
    """An amount in whole units, thousands apart: 15 000."""
    return "" if value is None else f"{value:,.0f}".replace(",", " ")
