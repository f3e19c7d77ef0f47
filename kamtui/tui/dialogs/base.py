"""What every kamtui dialog shares: a centred box over the screen it was opened from."""

from __future__ import annotations

import asyncio
from typing import TypeVar

from textual.await_complete import AwaitComplete
from textual.screen import ModalScreen

from .. import breakpoints

ResultType = TypeVar("ResultType")


class Dialog(ModalScreen[ResultType]):
    """A modal screen holding a ``Vertical(classes="dialog")`` box (``wide`` or ``editor`` for
    larger ones), with a ``dialog-title``, an optional ``dialog-body``, ``dialog-hint`` and
    ``dialog-buttons``. The styles are parsed when the first dialog opens, not at start-up."""

    DEFAULT_CSS = """
    Dialog { align: center middle; }
    .dialog { width: 70; max-width: 100%; height: auto; max-height: 100%; border: thick $primary; background: $surface; padding: 1 2; }
    .dialog.wide { width: 100; }
    .dialog.editor { width: 90; height: 90%; }
    .dialog-title { text-style: bold; margin-bottom: 1; }
    .dialog-body { height: auto; max-height: 30; }
    Dialog.-short .dialog-body { max-height: 12; }
    .dialog-hint { color: $text-muted; height: 1; }
    .dialog-buttons { height: auto; align-horizontal: right; margin-top: 1; }
    .dialog-buttons Button { margin-left: 1; }
    """

    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]

    _answered = False

    def on_mount(self) -> None:
        breakpoints.apply(self)  # a dialog gets no Resize until the terminal changes size

    def dismiss(self, result: ResultType | None = None) -> AwaitComplete:
        """Close with ``result`` — once. Keys typed fast reach a dialog after its answer (the "d" of
        a word typed while a question popped up): a second dismiss would close the screen below."""
        if self._answered:
            return AwaitComplete(asyncio.sleep(0))
        self._answered = True
        return super().dismiss(result)
