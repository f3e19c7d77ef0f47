"""The item editor: a form for one item of a list, validated before it is accepted."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Static

from ..i18n import t
from ..widgets.form import FieldForm, RefChoices
from .base import Dialog


class EditorDialog(Dialog[dict[str, Any] | None]):
    """Edit ``item``'s fields; returns the new values, or None when cancelled."""

    DEFAULT_CSS = "#editor-form { height: 1fr; }"

    BINDINGS = [
        Binding("escape", "cancel", t("dialog.cancel")),
        Binding("ctrl+s", "accept", t("dialog.ok"), priority=True),
    ]

    def __init__(self, title: str, item: Any, fields: list[str] | None = None, refs: RefChoices | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.item = item
        self.fields = fields
        self.refs = refs

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog editor"):
            yield Static(Content(self.title_text), classes="dialog-title")
            yield FieldForm(self.item, self.fields, self.refs, id="editor-form")
            yield Static(Content(t("editor.keys")), classes="dialog-hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("dialog.ok"), id="ok", variant="primary")
                yield Button(t("dialog.cancel"), id="cancel")

    def on_mount(self) -> None:
        editors = self.query_one(FieldForm).query("Input, TextArea, Select, Checkbox")
        if editors:
            editors.first().focus()

    def on_field_form_changed(self, event: FieldForm.Changed) -> None:
        event.stop()  # nothing is applied before OK

    @on(Button.Pressed, "#ok")
    def action_accept(self) -> None:
        values = self.query_one(FieldForm).values()
        if values is None:
            self.notify(t("editor.invalid"), severity="warning")
            return
        self.dismiss(values)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
