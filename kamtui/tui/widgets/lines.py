"""Lines laid out beforehand, of which only those on screen are rendered."""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget


class Lines(Widget):
    """A list of one-line :class:`Content`, each already fitted to the widget's width by its
    owner, shown one per row; the widget is as tall as the list.

    A Static holding the same text wraps and renders every line whenever it is shown (the
    review's 100-odd lines cost ~15 ms of the first frame); here only the rows the compositor
    asks for — those on screen — are rendered, and Textual keeps them until the next update.
    """

    DEFAULT_CSS = "Lines { height: auto; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._lines: list[Content] = []

    @property
    def lines(self) -> list[Content]:
        return self._lines

    def update(self, lines: list[Content]) -> None:
        self._lines = lines
        self.refresh(layout=True)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines)

    def render_line(self, y: int) -> Strip:
        """The line's segments on the widget's style, padded to its width. (Textual's own
        ``Visual.to_strips`` wraps and aligns each line again, and marks each cell's offset for
        mouse selection: five times the time, for lines already fitted and no selection.)"""
        width = self.size.width
        style = self.visual_style
        if 0 <= y < len(self._lines):
            return Strip(self._lines[y].render_segments(style)).extend_cell_length(width, style.rich_style)
        return Strip.blank(width, style.rich_style)
