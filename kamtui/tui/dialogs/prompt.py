"""A one-line question: the review's search and its visit date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Static

from ..commands import bindings
from ..i18n import t
from .base import Dialog


def parse_day(text: str) -> dt.date | None:
    """A day written YYYY-MM-DD, or None."""
    try:
        return dt.date.fromisoformat(text.strip()) if len(text.strip()) == 10 else None
    except ValueError:
        return None


class PromptDialog(Dialog[str | None]):
    """Returns the text typed (Enter), or None (Escape). With ``check``, Enter refuses a text
    for which ``check`` gives None, and says so."""

    DEFAULT_CSS = "#prompt-error { color: $error; height: auto; }"
    BINDINGS = bindings("dialog.cancel")

    def __init__(self, title: str, value: str = "", hint: str = "", check: Callable[[str], Any] | None = None) -> None:
        super().__init__()
        self.title_text, self.value, self.hint, self.check = title, value, hint, check

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(self.title_text), classes="dialog-title")
            yield Input(self.value, id="prompt-input")
            yield Static(Content(self.hint), classes="dialog-hint")
            yield Static("", id="prompt-error")

    def on_mount(self) -> None:
        self.query_one("#prompt-input", Input).focus()

    @on(Input.Submitted)
    def accept(self) -> None:
        text = self.query_one("#prompt-input", Input).value
        if self.check is not None and self.check(text) is None:
            self.query_one("#prompt-error", Static).update(Content(t("prompt.invalid", text=text)))
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)
