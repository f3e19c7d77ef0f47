"""Help: every key of the current screen, and the app-wide ones."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Grid, Vertical, VerticalScroll
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
    """Every key in two columns, the keys and what they do; a description too long for the line
    wraps in its own column (at 80 columns, in French too); the list scrolls when it is long."""

    BINDINGS = bindings("help.close")
    DEFAULT_CSS = """
    #help-keys { layout: grid; grid-size: 2; grid-rows: auto; grid-gutter: 0 2; height: auto; }
    #help-keys .help-key { text-style: bold; }
    #help-more { color: $text-muted; margin-top: 1; }
    """

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        self.lines = key_lines(screen)

    def compose(self) -> ComposeResult:
        # Keys and labels can come from the user's config (remapped keys): shown literally.
        lines = [(shown(k), shown(d)) for k, d in self.lines]
        width = max((Content(k).cell_length for k, _ in lines), default=4)
        with Vertical(classes="dialog wide"):
            yield Static(Content(t("help.title")), classes="dialog-title")
            with VerticalScroll(classes="dialog-body", id="help-body"):
                keys = Grid(id="help-keys")
                keys.styles.grid_columns = f"{min(width, 24)} 1fr"
                with keys:
                    for k, d in lines:
                        yield Static(Content(k), classes="help-key")
                        yield Static(Content(d), classes="help-text")
                yield Static(Content(t("help.more")), id="help-more")

    def action_close(self) -> None:
        self.dismiss(None)
