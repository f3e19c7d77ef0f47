"""Commit: the message of a git commit of the open plan's file (that file alone)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label, Static

from ..commands import bindings
from ..i18n import t
from ..widgets.form import text_input
from .base import Dialog


class CommitDialog(Dialog[str | None]):
    """Returns the commit message typed (one line, not empty), or None."""

    DEFAULT_CSS = "#commit-error { color: $error; height: auto; } #commit-hint { height: auto; }"
    BINDINGS = bindings("dialog.cancel", "editor.accept")

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name_text = name

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(t("commit.title", name=self.name_text)), classes="dialog-title")
            yield Label(t("commit.label"))
            yield text_input("", id="commit-message")
            yield Static(Content(t("commit.hint")), classes="dialog-hint", id="commit-hint")
            yield Static("", id="commit-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("commit.ok"), id="ok", variant="primary")
                yield Button(t("dialog.cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#commit-message").focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def action_accept(self) -> None:
        message = " ".join(self.query_one("#commit-message", Input).value.split())
        if not message:
            self.query_one("#commit-error", Static).update(Content(t("commit.need_message")))
            return
        self.dismiss(message)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
