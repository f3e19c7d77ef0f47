"""The item editor: a form for one item of a list, validated before it is accepted."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Static

from ..commands import bindings
from ..i18n import t
from ..text import shown
from ..widgets.form import FieldForm, RefChoices
from .base import Dialog


class EditorDialog(Dialog[dict[str, Any] | None]):
    """Edit the fields of ``item`` (a copy: nothing is applied to the plan here); returns the new
    values, or None when cancelled. Cancelling with changes asks first."""

    DEFAULT_CSS = "#editor-form { height: 1fr; }"

    BINDINGS = bindings("editor.cancel", "editor.accept")

    def __init__(self, title: str, item: Any, fields: list[str] | None = None, refs: RefChoices | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.item = item
        self.fields = fields
        self.refs = refs

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog editor"):
            yield Static(Content(shown(self.title_text)), classes="dialog-title")
            yield FieldForm(lambda: self.item, self.fields, self.refs, id="editor-form")
            yield Static(Content(t("editor.keys")), classes="dialog-hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("dialog.ok"), id="ok", variant="primary")
                yield Button(t("dialog.cancel"), id="cancel")

    def on_mount(self) -> None:
        form = self.query_one(FieldForm)
        self._initial = form.raw()
        editors = form.query("Input, TextArea, Select, Checkbox")
        if editors:
            editors.first().focus()

    def on_field_form_changed(self, event: FieldForm.Changed) -> None:
        event.stop()  # nothing is applied before OK

    @on(Button.Pressed, "#ok")
    def action_accept(self) -> None:
        values = self.query_one(FieldForm).values()
        if values is None:
            self.notify(t("editor.invalid"), severity="warning", markup=False)
            return
        self.dismiss(values)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        if self.query_one(FieldForm).raw() == self._initial:
            self.dismiss(None)
            return
        from .choice import confirm

        def answer(choice: str | None) -> None:
            if choice == "yes":
                self.dismiss(None)

        self.app.push_screen(confirm(t("editor.discard_title"), t("editor.discard_ask")), answer)
