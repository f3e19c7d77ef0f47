"""What every section of the plan screen shares.

A section watches the app's ``plan_version``: after any change of the plan (an edit here or
elsewhere, an undo, a reload) it asks the session which parts changed and shows those again —
at once when it is on screen, when next shown otherwise. It reads the plan from the session each
time and keeps no model object.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.dom import NoScreen
from textual.widget import Widget
from textual.widgets import Static

from ...session import Where
from ..access import UsesSession
from ..breakpoints import WidthBeforeLayout
from ..i18n import t

if TYPE_CHECKING:
    from ..widgets.form import FieldForm
    from ..widgets.itemtable import ItemTable

# The form and table widgets (and Textual's Input, Select, TextArea, DataTable behind them) are
# imported by the sections that use them, not here: the review, shown first, needs none of them.


def focus_now(widget: Widget, scroll_visible: bool = True) -> None:
    """Focus ``widget`` at once. ``Widget.focus()`` leaves it to the app's queue, behind the keys
    already typed: keys pressed straight after F2 went to the field of the section it hid."""
    try:
        widget.screen.set_focus(widget, scroll_visible=scroll_visible)
    except NoScreen:  # removed meanwhile (as Widget.focus() does)
        pass


class Section(UsesSession, WidthBeforeLayout, VerticalScroll):
    """A section: a title, then forms and tables editing the plan through the session."""

    _seen_version = 0
    _stale = False
    _read_only = False  # what the fields were last set to
    _views_found: tuple[list[FieldForm], list[ItemTable]] | None = None

    def on_mount(self) -> None:
        self._seen_version = self.session.version
        self.watch(self.app, "plan_version", self._plan_version_changed, init=False)
        self.watch(self.app, "plan_read_only", self._read_only_changed)

    def _read_only_changed(self, read_only: bool) -> None:
        """A read-only plan can be read, not typed into: what is shown is what is in the file.
        (It can become editable: the user insists on editing a plan open in another kamtui.)"""
        if read_only == self._read_only:
            return
        self._read_only = read_only
        from textual.widgets import TextArea

        for area in self.query(TextArea):
            area.read_only = read_only
        for widget in self.query("Input, Select, Checkbox"):
            widget.disabled = read_only

    def heading(self, key: str) -> Static:
        return Static(Content(t(key)), classes="heading")

    # --- showing the plan again ------------------------------------------------------

    def _plan_version_changed(self) -> None:
        if self.kam.session is None:
            return
        if not self.display:
            self._stale = True  # caught up when shown
            return
        self.catch_up()

    def catch_up(self) -> None:
        session = self.session
        touched = session.touched_since(self._seen_version)
        self._seen_version = session.version
        self._stale = False
        if touched:
            self.show_plan(touched)

    def show_plan(self, touched: frozenset[str]) -> None:
        """Show again what the changed parts (``touched``; "*" for everything) change here."""
        forms, tables = self._views()
        for form in forms:
            if "*" in touched or form.part in touched:
                form.show()
        for table in tables:
            if table.shows(touched):
                table.refresh_rows()

    def _views(self) -> tuple[list[FieldForm], list[ItemTable]]:
        """The section's forms and tables. A section's widgets are composed once, so they are
        looked up once: a query walks the whole section, on every key typed."""
        if self._views_found is None:
            from ..widgets.form import FieldForm
            from ..widgets.itemtable import ItemTable

            self._views_found = (list(self.query(FieldForm)), list(self.query(ItemTable)))
        return self._views_found

    # --- focus -------------------------------------------------------------------------

    def on_show_section(self) -> None:
        """The section is shown: catch up with changes made meanwhile, focus its first field."""
        if self._stale:
            self.catch_up()
        from ..widgets.form import FieldForm

        for widget in self.walk_children(Widget, method="depth"):  # in screen order, unlike query("*")
            if widget.focusable and not isinstance(widget, FieldForm):  # a field, not its scroll box
                self.focus_from_top(widget)
                return

    def focus_from_top(self, widget: Widget) -> None:
        """Focus ``widget`` with the section shown from its heading: scrolled only as far as needed
        to see the widget. (Textual centres a focused widget, which on a laptop's 24 lines scrolls
        the heading and the question out of view.)"""
        focus_now(widget, scroll_visible=False)
        self.scroll_home(animate=False, immediate=True)
        self.call_after_refresh(self.scroll_to_widget, widget, animate=False)

    def show_change(self, where: Where) -> None:
        """Put the cursor where a change (undone, redone) was: the item's row, the field."""
        from ..widgets.form import FieldForm
        from ..widgets.itemtable import ItemTable

        for table in self.query(ItemTable):
            if table.list_name == where.part:
                focus_now(table)
                if where.key is not None:
                    table.select_uid(where.key)
                return
        for form in self.query(FieldForm):
            if form.part == where.part and where.field in form.specs:
                focus_now(form.editor(where.field))
                return

    # --- edits -------------------------------------------------------------------------

    def on_field_form_changed(self, event: FieldForm.Changed) -> None:
        event.stop()
        if not event.form.part or self.kam.read_only_notice():
            return
        self.session.set_field((event.form.part,), event.name, event.value, typing=event.typing)

    def plan_part(self, part: str) -> Any:
        """The table a form of this section edits, read from the plan open now."""
        plan = self.session.plan
        return plan.swot if part == "swot" else plan.account

    def compose(self) -> ComposeResult:  # pragma: no cover - every section defines its own
        yield from ()
