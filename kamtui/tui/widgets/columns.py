"""Which columns of an item table are shown at a given width, and how wide each one is.

Each table declares its columns once, as data: :class:`Col` (what the column shows) and an
:class:`Importance` (which ones must be seen at every width — 80 columns included — and which
ones come next, most important first). :func:`layout` then picks the columns that fit: the
must-see ones always, the others while they fit; the main text column (a title, a name) takes
the width that is left.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from rich.text import Text

Cell = str | Text
PAD = 2  # a DataTable's cell padding, one cell each side


class Col(NamedTuple):
    """A column: ``name`` (the item's field it shows, or a name of its own), its header (a catalog
    key), how to get its cell from an item, its widest (``width``: its cells are cut there) and
    its narrowest (``least``: how far it may be squeezed for the must-see columns to fit). The
    ``main`` column (a title, a name) is squeezed like the must-see ones from its ``width``, and
    takes the width left over. ``short``: a shorter header (a catalog key), shown when the column
    is narrower than its header."""

    name: str
    header: str
    get: Callable[[Any], Cell]
    width: int = 14
    least: int = 6
    main: bool = False
    short: str = ""


class Importance(NamedTuple):
    """``must``: the columns shown at every width; ``then``: the others, most important first
    (the columns not named come last)."""

    must: tuple[str, ...]
    then: tuple[str, ...] = ()


def text_width(value: Cell) -> int:
    """How many cells the first line of ``value`` takes."""
    if isinstance(value, Text):
        return value.cell_len if "\n" not in value.plain else Text(value.plain.split("\n", 1)[0]).cell_len
    return Text(value.split("\n", 1)[0]).cell_len


def natural_widths(cols: Sequence[Col], headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> list[int]:
    """Each column's width for its widest cell or header, at most its ``width`` (the main column:
    its widest cell, however wide)."""
    widths = [len(header) for header in headers]
    for row in rows:
        for n, value in enumerate(row):
            widths[n] = max(widths[n], text_width(value))
    return [w if col.main else min(w, col.width) for col, w in zip(cols, widths, strict=True)]


def layout(
    cols: Sequence[Col], importance: Importance, natural: Sequence[int], available: int
) -> list[tuple[int, int]]:
    """(column index, width) of the columns to show in ``available`` cells, in their declared
    order: the must-see ones always — squeezed toward their ``least`` width when they don't fit
    (the widest first), the table scrolling sideways if that is not enough — then the others by
    importance while they fit (a wide one narrower, down to its ``least``); the main column gets
    what is left."""
    names = [col.name for col in cols]
    main = next((n for n, col in enumerate(cols) if col.main), 0)
    must = [n for n in (names.index(name) for name in importance.must if name in names) if n != main]
    rest = [names.index(name) for name in importance.then if name in names]
    rest += [n for n in range(len(cols)) if n != main and n not in must and n not in rest]
    # The main column first wants its ``width`` (or less, if its cells are narrower).
    widths = {main: max(min(natural[main], cols[main].width), 1), **{n: natural[n] for n in must}}
    least = {n: min(cols[n].least, widths[n]) for n in widths}
    excess = sum(w + PAD for w in widths.values()) - available
    while excess > 0:
        widest = max(widths, key=lambda n: (widths[n] - least[n], widths[n]))
        if widths[widest] <= least[widest]:
            break
        widths[widest] -= 1
        excess -= 1
    used = sum(w + PAD for w in widths.values())
    for n in rest:  # at their width; or narrower, if still readable and the main text is not cut
        room = available - used - PAD
        if natural[n] > room:
            room -= max(0, natural[main] - widths[main])
        width = min(natural[n], room)
        if width >= min(natural[n], max(cols[n].least, 10)):
            widths[n] = width
            used += width + PAD
    widths[main] += max(0, available - used)  # the main column takes what is left
    return [(n, widths[n]) for n in range(len(cols)) if n in widths]
