"""A value typed for a merge conflict (the Conflicts screen's "edit"): one field, any length."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Static, TextArea

from ..commands import bindings
from ..i18n import t
from ..widgets.form import TextBox
from .base import Dialog


class ValueDialog(Dialog[str | None]):
    """Returns the text typed (ctrl+s or OK), or None."""

    DEFAULT_CSS = "#value-text { height: 8; }"
    BINDINGS = bindings("dialog.cancel", "editor.accept")

    def __init__(self, where: str, value: str) -> None:
        super().__init__()
        self.where = where
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(Content(t("conflicts.edit_title", where=self.where)), classes="dialog-title")
            yield TextBox(self.value, id="value-text", soft_wrap=True, show_line_numbers=False)
            yield Static(Content(t("conflicts.edit_hint")), classes="dialog-hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("dialog.ok"), id="ok", variant="primary")
                yield Button(t("dialog.cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#value-text", TextArea).focus()

    @on(Button.Pressed, "#ok")
    def action_accept(self) -> None:
        self.dismiss(self.query_one("#value-text", TextArea).text)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
