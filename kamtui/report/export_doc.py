"""What an export says, before it is written as Markdown or HTML.

The plan export, the visit brief and the portfolio roll-up are each built as a :class:`Document`
— a title, a few lines under it, sections of headings, paragraphs, fact lists, bullet lists and
tables — from the model's rules. The Markdown writer (``export_md``) and the HTML templates
(``export_html``) only lay it out, so the two formats always say the same thing.

Texts here are as the plan holds them (control characters and markup included): each writer
escapes them for its format, in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Mark = Literal["", "good", "warn", "bad", "muted", "strong"]


@dataclass(frozen=True)
class Progress:
    """A progress bar: ``share`` 0..1 (None: unknown), and the words that say it."""

    share: float | None
    label: str


@dataclass(frozen=True)
class Spark:
    """A KPI's periods as a sparkline: actuals (solid) and targets (dashed), and the words that
    say the same (the text alternative)."""

    actuals: tuple[float | None, ...]
    targets: tuple[float | None, ...]
    label: str


@dataclass
class Cell:
    """One value: its text, and how it stands out (``mark``, always said by the text too)."""

    text: str = ""
    mark: Mark = ""
    multiline: bool = False
    note: str = ""  # a second line under the text ("⚠ overdue by 3 days")

    @property
    def css(self) -> str:
        """The HTML classes of the text: "v", its mark, "ml" for text on several lines."""
        return (
            f"v {self.mark} ml"
            if self.multiline and self.mark
            else f"v {self.mark}"
            if self.mark
            else "v ml"
            if self.multiline
            else "v"
        )

    progress: Progress | None = None
    spark: Spark | None = None


@dataclass
class Sub:
    """A heading inside a section, with an optional note beside it (a question's state)."""

    title: str
    note: Cell | None = None
    level: int = 3  # 3 under a section, 4 under a sub-heading


@dataclass
class Para:
    """Long text from the plan (several lines), or a sentence of the export's own."""

    text: str
    mark: Mark = ""


@dataclass
class Facts:
    """Label: value lines (the account's details, totals)."""

    items: list[tuple[str, Cell]]


@dataclass
class Bullets:
    items: list[Cell]


@dataclass
class Table:
    headers: list[str]
    rows: list[list[Cell]]
    numeric: frozenset[int] = frozenset()  # right-aligned columns (never wrapped)
    nowrap: frozenset[int] = frozenset()  # columns whose lines are never wrapped (dates)
    detail: tuple[int, ...] = ()  # long-text columns HTML shows under their row, full width
    name: str = ""  # what the table holds (a CSS class in HTML)


Block = Sub | Para | Facts | Bullets | Table


@dataclass
class Section:
    id: str
    title: str
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> Section:
        self.blocks.extend(blocks)
        return self


@dataclass
class Document:
    """A whole export. ``kind`` is "plan", "brief" or "rollup" (the HTML layout depends on it)."""

    kind: str
    lang: str
    title: str
    meta: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    badge: str = ""  # who the document is for: "internal" or "client" (a CSS class in HTML)
    stamp: str = ""  # the same in words: "Internal: not for the client"


def text_bar(share: float | None, width: int = 10) -> str:
    """A progress bar in characters, for text and Markdown: ``███░░░░░░░``."""
    if share is None:
        return ""
    filled = round(max(0.0, min(1.0, share)) * width)
    return "█" * filled + "░" * (width - filled)


_SPARKS = "▁▂▃▄▅▆▇█"


def text_spark(values: tuple[float | None, ...] | list[float]) -> str:
    """A sparkline in characters (``▂▄▇``) of the known values, for text and Markdown; "" for
    fewer than two."""
    known = [v for v in values if v is not None]
    if len(known) < 2:
        return ""
    low, high = min(known), max(known)
    if high == low:
        return _SPARKS[3] * len(known)
    return "".join(_SPARKS[round((v - low) / (high - low) * (len(_SPARKS) - 1))] for v in known)
