"""What every kamtui dialog shares: a centred box over the screen it was opened from."""

from __future__ import annotations

import asyncio
from typing import TypeVar

from textual import events
from textual.await_complete import AwaitComplete
from textual.screen import ModalScreen
from textual.widget import Widget

ResultType = TypeVar("ResultType")


class Dialog(ModalScreen[ResultType]):
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
