"""What every kamtui dialog shares: a centred box over the screen it was opened from."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any, TypeVar

from rich.console import RenderableType
from rich.segment import Segment
from rich.style import Style as RichStyle
from textual import events
from textual.await_complete import AwaitComplete
from textual.color import Color
from textual.css.styles import RulesMap
from textual.geometry import Region
from textual.renderables.background_screen import BackgroundScreen
from textual.screen import ModalScreen
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, RichVisual, Visual
from textual.widget import Widget

from ..breakpoints import OneLayoutPerSize, StyledOnce

ResultType = TypeVar("ResultType")


class Dialog(OneLayoutPerSize, StyledOnce, ModalScreen[ResultType]):
    """A modal screen holding a ``Vertical(classes="dialog")`` box (``wide`` or ``editor`` for
    larger ones), with a ``dialog-title``, an optional ``dialog-body``, ``dialog-hint`` and
    ``dialog-buttons``. The styles are parsed when the first dialog opens, not at start-up."""

    DEFAULT_CSS = """
    Dialog { align: center middle; }
    .dialog { width: 70; max-width: 100%; height: auto; max-height: 90%; border: thick $primary; background: $surface; padding: 1 2; }
    .dialog.wide { width: 100; }
    .dialog.editor { width: 90; height: 90%; }
    .dialog-title { text-style: bold; margin-bottom: 1; }
    .dialog-body { height: auto; max-height: 30; }
    .dialog-hint { color: $text-muted; height: 1; }
    .dialog-buttons { height: auto; align-horizontal: right; margin-top: 1; }
    .dialog-buttons Button { margin-left: 1; }
    """

    _answered = False
    _backdrop: tuple[Any, list[Strip]] | None = None  # (what it was drawn from, its lines)

    # A widget may render a Visual; Screen.render is annotated narrower than Widget.render.
    def render(self) -> RenderableType | Visual:  # type: ignore[override]
        renderable = super().render()
        if isinstance(renderable, BackgroundScreen):
            return Backdrop(self, Tint(renderable.screen, renderable.color))
        return renderable

    def refresh(
        self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False
    ) -> Dialog[ResultType]:
        """A refresh with regions is the screen below that changed (Textual passes its dirty
        regions on): the backdrop is drawn again. A repaint (the focus moved) or a layout (the
        dialog's own widgets) keeps it; a new size or style draws it again too (its key)."""
        if regions or recompose:
            self._backdrop = None
        super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)
        return self

    def dismiss(self, result: ResultType | None = None) -> AwaitComplete:
        """Close with ``result`` — once. Keys typed fast reach a dialog after its answer (the "d" of
        a word typed while a question popped up): a second dismiss would close the screen below."""
        if self._answered:
            return AwaitComplete(asyncio.sleep(0))
        self._answered = True
        return super().dismiss(result)

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self._fit_body)

    def _fit_body(self) -> None:
        """A ``dialog-body`` no taller than the room its dialog leaves it on this screen: it scrolls
        there, and what comes after it (the buttons) stays in view. (A box of ``height: auto``
        does not shrink its children: at 24 lines the body's last lines and the buttons were
        cut off, out of reach.)"""
        room = int(self.size.height * 0.9)
        for body in self.query(".dialog-body"):
            box = body.parent
            if not isinstance(box, Widget):
                continue
            others = sum(
                child.outer_size.height + child.styles.margin.height
                for child in box.children
                if child is not body and child.display
            )
            body.styles.max_height = max(3, min(30, room - box.styles.gutter.height - others))


class Backdrop(Visual):
    """What a dialog shows around its box: the screen it was opened over, tinted (Textual's
    ``BackgroundScreen``), drawn once and given again while that screen, the size and the style
    are the same. Textual repaints a dialog's whole screen each time the focus moves (Tab from
    field to field): tinting every cell of the screen below took 10-30 ms each time at 120x40,
    twice that with a question over an editor."""

    def __init__(self, dialog: Dialog[Any], below: Tint) -> None:
        self.dialog = dialog
        self.below = below
        self.visual = RichVisual(dialog, below)

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        key = (width, height, style, self.below.screen, self.below.color)
        drawn = self.dialog._backdrop
        if drawn is None or drawn[0] != key:
            drawn = self.dialog._backdrop = (key, self.visual.render_strips(width, height, style, options))
        return drawn[1]

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.visual.get_optimal_width(rules, container_width)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.visual.get_height(rules, width)


class Tint(BackgroundScreen):
    """Textual's tint of the screen below a dialog, worked out once per style instead of once per
    segment: a screen has thousands of segments and a few dozen styles. Each style is tinted by
    Textual's own ``process_segments``, so the colours are the same."""

    @classmethod
    def process_segments(cls, segments: Iterable[Segment], color: Color) -> Iterable[Segment]:
        tinted: dict[RichStyle | None, RichStyle | None] = {}
        for segment in segments:
            text, style, control = segment
            if control:
                yield segment
                continue
            try:
                new = tinted[style]
            except KeyError:
                new = tinted[style] = next(iter(BackgroundScreen.process_segments([Segment(" ", style)], color))).style
            yield Segment(text, new)
