"""A screen's size: its breakpoint classes set before its first layout, and one layout per size.

Textual sets the classes of ``HORIZONTAL_BREAKPOINTS`` / ``VERTICAL_BREAKPOINTS`` on a screen's
first Resize, after a first frame laid out without them (at 80 columns the plan screen painted
the checklist as a column, then laid out and painted everything again; a dialog pushed later
gets no Resize at all until the terminal changes size). :func:`apply` sets them from the
terminal's size as Textual would; Textual keeps them up to date on every resize after that.

Textual also sends a screen a Resize after laying it out, of the size it was just laid out at;
its default handling lays the screen out again, and every screen below it. :class:`OneLayoutPerSize`
lets only a new size through.
"""

from __future__ import annotations

from textual import events
from textual.screen import Screen
from textual.widget import Widget


def apply(screen: Screen) -> None:
    width, height = screen.app.size
    for breakpoints, size in ((screen.HORIZONTAL_BREAKPOINTS, width), (screen.VERTICAL_BREAKPOINTS, height)):
        if not breakpoints:
            continue
        reached = max(((at, name) for at, name in breakpoints if size >= at), default=None)
        for _, name in breakpoints:
            screen.set_class(reached is not None and name == reached[1], name)


class OneLayoutPerSize:
    """Mixed into a screen (before ``Screen``): a Resize to the size the screen is already laid out
    at does nothing more than the screen's own ``on_resize`` handlers. At start-up the plan screen
    was laid out twice (~50 ms at 120x40), and each dialog opened laid itself and the plan screen
    out again."""

    def on_resize(self, event: events.Resize) -> None:
        assert isinstance(self, Screen)
        if event.size == self.region.size:
            # Not Textual's Screen._on_resize: its layouts. Its breakpoints still: a screen below a
            # dialog is laid out at a new size by the dialog's Resize, before its own comes.
            event.prevent_default()
            apply(self)


class StyledOnce:
    """Mixed into a screen built when it is first shown (before ``Screen``): its widgets are styled
    as they mount, and Textual styled them all again on that first ScreenResume (~25 ms for the plan
    screen, ~35 ms for the item editor at 120x40). Later ScreenResumes are Textual's as before."""

    _resumed = False

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False


class WidthBeforeLayout:
    """Mixed into a container built when first shown (a section): ``width_hint`` is the width its
    content will get, known before its first layout from a box of the same shape already laid out
    (the section shown before it: every section has the same width, padding and kept scrollbar
    gutter). The tables in it are built once, at the width they get: built at a guess (the
    terminal's width), each was built again at its first resize, and the section laid out and drawn
    twice (a third of a first visit's CPU)."""

    width_hint = 0

    def content_width(self) -> int:
        """The width its children get (inside its padding and scrollbar gutter): its own once laid
        out, else the hint (0: not known)."""
        assert isinstance(self, Widget)
        return self.scrollable_content_region.width or self.width_hint
