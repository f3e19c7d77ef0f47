"""The item editor: a form for one item of a list, validated before it is accepted."""

from __future__ import annotations

from typing import Any

from textual import events, on
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

    DEFAULT_CSS = """
    #editor-form { height: 1fr; scrollbar-gutter: stable; }
    EditorDialog .dialog.editor { width: 100; max-width: 100%; height: 90%; max-height: 100%; }
    EditorDialog.small .dialog.editor { height: 100%; padding: 0 1; border: round $primary; }
    EditorDialog.small .dialog-title { margin-bottom: 0; }
    EditorDialog.small .dialog-buttons { margin-top: 0; }
    EditorDialog.small .dialog-buttons Button { min-width: 10; height: 1; border: none; }
    EditorDialog.two #editor-form { layout: grid; grid-size: 2; grid-rows: auto; grid-gutter: 0 2; }
    EditorDialog.two #editor-form .field.wide { column-span: 2; }
    """
    SMALL = 30  # on a screen fewer lines high, the editor takes it all, its fields one line each
    TWO_COLUMNS = 110  # on a screen this wide, short fields go two by two

    BINDINGS = bindings("editor.cancel", "editor.accept")
    # The first field has the focus from the start. Textual would first focus the form's scroll
    # box, then the field: each move restyled every widget in the form (50-130 ms at 120x40).
    AUTO_FOCUS = "#editor-form Input, #editor-form TextArea, #editor-form Select, #editor-form Checkbox"

    def __init__(
        self,
        title: str,
        item: Any,
        fields: list[str] | None = None,
        refs: RefChoices | None = None,
        required: tuple[str, ...] = (),
    ) -> None:
        super().__init__()
        self.title_text = title
        self.item = item
        self.fields = fields
        self.refs = refs
        self.required = required

    def compose(self) -> ComposeResult:
        # Fitted to the screen before anything is styled: a class added once mounted restyled the
        # whole dialog.
        self._fit_classes(self.app.size.width, self.app.size.height)
        with Vertical(classes="dialog editor"):
            yield Static(Content(shown(self.title_text)), classes="dialog-title")
            yield FieldForm(
                lambda: self.item,
                self.fields,
                self.refs,
                required=self.required,
                compact=self.has_class("small"),
                id="editor-form",
            )
            yield Static(Content(t("editor.keys")), classes="dialog-hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("dialog.ok"), id="ok", variant="primary")
                yield Button(t("dialog.cancel"), id="cancel")

    def on_mount(self) -> None:
        self._initial = self.query_one(FieldForm).raw()

    def on_resize(self, event: events.Resize) -> None:
        small = self.has_class("small")
        self._fit_classes(event.size.width, event.size.height)
        if self.has_class("small") != small:
            for editor in self.query("#editor-form Input, #editor-form Select, #editor-form TextArea"):
                editor.compact = not small  # type: ignore[attr-defined]

    def _fit_classes(self, width: int, height: int) -> None:
        """Fit the screen: one line per field on a short one, two fields a row on a wide one."""
        self.set_class(height < self.SMALL, "small")
        self.set_class(width >= self.TWO_COLUMNS, "two")

    def on_field_form_changed(self, event: FieldForm.Changed) -> None:
        event.stop()  # nothing is applied before OK

    @on(Button.Pressed, "#ok")
    def action_accept(self) -> None:
        form = self.query_one(FieldForm)
        values = form.values()
        if values is None:
            self.notify(t("editor.invalid"), severity="warning", markup=False)
            wrong = form.first_invalid()
            if wrong is not None:
                wrong.focus()
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
