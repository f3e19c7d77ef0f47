"""Table cells made from plan text."""

from __future__ import annotations

from typing import Any

from rich.text import Text

MAX_CELL = 36


def cell(value: Any, style: str = "", width: int = MAX_CELL) -> Text:
    """Plan text as a table cell: never markup, no control characters, one short line."""
    text = "" if value is None else str(value)
    text = "".join(c if c.isprintable() else " " for c in text.split("\n", 1)[0])
    if len(text) > width:
        text = text[: width - 1] + "…"
    return Text(text, style=style, no_wrap=True, overflow="ellipsis")
