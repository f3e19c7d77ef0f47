"""Help: every key of the current screen, and the app-wide ones."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from ..commands import bindings, grouped_keys
from ..i18n import t
from ..text import shown
from .base import Dialog


def key_lines(screen: Screen) -> list[tuple[str, str]]:
    """(keys, description) for every binding active on ``screen``, focused widget first; the keys
    of one command together ("^p / F12")."""
    return [(keys, text) for keys, text, _enabled in grouped_keys(screen, screen.active_bindings.values())]


class HelpDialog(Dialog[None]):
    BINDINGS = bindings("help.close")

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        self.lines = key_lines(screen)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(Content(t("help.title")), classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                # Keys and labels can come from the user's config (remapped keys): shown literally.
                lines = [(shown(k), shown(d)) for k, d in self.lines]
                width = max((len(k) for k, _ in lines), default=4) + 2
                body = Content("\n").join(Content.assemble((k.ljust(width), "bold"), d) for k, d in lines)
                yield Static(Content.assemble(body, "\n\n", (t("help.more"), "dim")))

    def action_close(self) -> None:
        self.dismiss(None)
