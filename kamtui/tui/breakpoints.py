"""A screen's breakpoint classes, set before its first layout.

Textual sets the classes of ``HORIZONTAL_BREAKPOINTS`` / ``VERTICAL_BREAKPOINTS`` on a screen's
first Resize, after a first frame laid out without them (at 80 columns the plan screen painted
the checklist as a column, then laid out and painted everything again; a dialog pushed later
gets no Resize at all until the terminal changes size). :func:`apply` sets them from the
terminal's size as Textual would; Textual keeps them up to date on every resize after that.
"""

from __future__ import annotations

from textual.screen import Screen


def apply(screen: Screen) -> None:
    width, height = screen.app.size
    for breakpoints, size in ((screen.HORIZONTAL_BREAKPOINTS, width), (screen.VERTICAL_BREAKPOINTS, height)):
        if not breakpoints:
            continue
        reached = max(((at, name) for at, name in breakpoints if size >= at), default=None)
        for _, name in breakpoints:
            screen.set_class(reached is not None and name == reached[1], name)
