"""What every section of the plan screen shares."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from ..i18n import t

if TYPE_CHECKING:
    from ..widgets.form import FieldForm

# The form and table widgets (and Textual's Input, Select, TextArea, DataTable behind them) are
# imported by the sections that use them, not here: the review, shown first, needs none of them.


class Section(VerticalScroll):
    """A section: a title, then forms and tables editing the plan in memory."""

    name_key = ""

    def on_mount(self) -> None:
        if self.app.planfile is not None and self.app.planfile.read_only:
            # A read-only plan can be read, not typed into: what is shown is what is in the file.
            for area in self.query("TextArea"):
                area.read_only = True
            for widget in self.query("Input, Select, Checkbox"):
                widget.disabled = True

    def heading(self, key: str) -> Static:
        return Static(Content(t(key)), classes="heading")

    def on_show_section(self) -> None:
        from ..widgets.form import FieldForm

        for widget in self.walk_children(method="depth"):  # in screen order, unlike query("*")
            if widget.focusable and not isinstance(widget, FieldForm):  # a field, not its scroll box
                widget.focus()
                return

    def refresh_from_plan(self) -> None:
        """Show the plan again after it was replaced (reload, recovery)."""
        from ..widgets.form import FieldForm
        from ..widgets.itemtable import ItemTable

        for form in self.query(FieldForm):
            form.load(self.form_target(form))
        for table in self.query(ItemTable):
            table.refresh_rows()

    def form_target(self, form: FieldForm) -> Any:
        return self.app.plan.account

    def on_field_form_changed(self, event: FieldForm.Changed) -> None:
        from ...model import ops

        event.stop()
        if getattr(event.form.obj, event.name) == event.value or self.app.read_only_notice():
            return  # nothing changes (e.g. a select settling on its value as it mounts)
        ops.update_item(event.form.obj, **{event.name: event.value})
        self.app.plan_changed()

    def compose(self) -> ComposeResult:  # pragma: no cover - every section defines its own
        yield from ()
