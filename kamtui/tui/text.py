"""Plan text and file names on screen: shown as data, never as markup, never as a terminal control.

Every widget that shows text from a plan, a question template or a file name goes through
:func:`shown` (a ``str``) or :func:`plan_content` (a ``Content``): control characters become
visible stand-ins (:func:`kamtui.model.text.visible`) and nothing is read as markup (SPEC §4,
§9.5, §9.9). Editors hold the real value and show it through :data:`EDITOR_HIGHLIGHTER` (an
Input) or :meth:`~kamtui.tui.widgets.form.TextBox.get_line` (a TextArea), one stand-in per
character so that the cursor stays on the right character.

:class:`ControlFilter` is the last line of defence: a Textual line filter that removes any control
character still in what is about to be written to the terminal (from a widget that forgot these
helpers, or Textual's own — a notification quoting an error that names a file).
"""

from __future__ import annotations

import re
from typing import Any

from rich.highlighter import Highlighter
from rich.segment import Segment
from rich.text import Text
from textual.color import Color
from textual.content import Content
from textual.filter import LineFilter
from textual.visual import VisualType
from textual.widgets import Static

from ..model.text import ALIGNED, has_controls, visible


def shown(value: Any, *, multiline: bool = False) -> str:
    """``value`` (plan text, a file name, anything) as text safe to show: control characters as
    visible stand-ins; newlines and tabs kept when ``multiline``. None is ""."""
    if value is None:
        return ""
    return visible(value if isinstance(value, str) else str(value), multiline=multiline)


def plan_content(value: Any, style: str = "", *, multiline: bool = False) -> Content:
    """Plan text as a Content: literal (never markup), controls shown as stand-ins."""
    text = shown(value, multiline=multiline)
    return Content.styled(text, style) if style else Content(text)


def safe_content(content: Content, *, multiline: bool = True) -> Content:
    """A Content made elsewhere (a difference, a message) with any control character left in it
    shown as a stand-in, one for one so that its styles stay on their characters."""
    plain = content.plain
    if not has_controls(plain, multiline=multiline):
        return content
    return Content(visible(plain, multiline=multiline, mode=ALIGNED), list(content.spans))


def editor_line(line: str) -> str:
    """A line of a TextArea as drawn: its controls as stand-ins, one for one (the cursor and the
    selection index the real text); tabs kept (the TextArea expands them)."""
    return visible(line, multiline=True, mode=ALIGNED)


class ControlsShown(Highlighter):
    """For an Input holding plan text: its control characters drawn as stand-ins, one for one
    (the cursor and the selection index the real value). The value itself is unchanged."""

    def highlight(self, text: Text) -> None:
        if has_controls(text.plain):
            text.plain = visible(text.plain, mode=ALIGNED)  # same length: the spans stay right


EDITOR_HIGHLIGHTER = ControlsShown()

# What a terminal acts on (C0, DEL, C1) and what reorders a line (bidi embeddings, overrides,
# isolates): all zero cells wide, so removing them keeps the line's width. A lone surrogate is
# one cell wide and can't be encoded: U+FFFD takes its place.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _clean(match: re.Match[str]) -> str:
    return "\ufffd" if match.group() >= "\ud800" else ""


class ControlFilter(LineFilter):
    """Removes control characters from the segments of every line just before they are written.

    Add it with ``App.get_line_filters``. Textual keeps each strip with its filtered copy, so a
    line that didn't change costs nothing; one that did costs a join and one regex search
    (a few microseconds for a 120-column line).
    """

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        search = _CONTROLS.search
        if search("".join([text for text, _, _ in segments])) is None:
            return segments  # nearly always: one search over the line
        sub = _CONTROLS.sub
        cleaned = []
        for segment in segments:
            if search(segment.text) is None:
                cleaned.append(segment)
            elif text := sub(_clean, segment.text):  # a segment of controls only goes: no empty segment
                cleaned.append(Segment(text, segment.style, segment.control))
        return cleaned


class FilterChain(LineFilter):
    """Line filters applied one after the other as one filter. Textual makes a new line (a Strip
    with seven small caches of its own) for each filter it applies to each line it draws: with
    its own colour filter and :class:`ControlFilter`, that was two new lines for every line drawn."""

    def __init__(self, filters: tuple[LineFilter, ...]) -> None:
        super().__init__()
        self.filters = filters

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        for line_filter in self.filters:
            segments = line_filter.apply(segments, background)
        return segments


def show(static: Static, content: VisualType, *, layout: bool = True) -> None:
    """Show ``content`` in ``static`` unless it shows that already. Each update of a Static lays the
    screen out again (its size may change): a field's error cleared at every key typed, or the
    detail panel set to the same item, cost a layout and a frame of every widget for nothing."""
    old = static.content
    if isinstance(old, Content) and isinstance(content, Content):
        same = old.plain == content.plain and old.spans == content.spans  # Content's == ignores styles
    else:
        same = type(old) is type(content) and isinstance(old, str) and old == content
    if not same:
        static.update(content, layout=layout)
