"""A table of the items of one plan list, with add / edit / delete / move by keyboard.

Rows are keyed by the items' ``uid``: the table reads the list again from the session whenever
it is shown the plan (after any edit, undo or reload) and keeps its cursor on the same item. It
never keeps an item: the item editor works on a copy, and the edit goes through the session.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.widgets import DataTable

from ..access import UsesSession
from ..commands import bindings
from ..dialogs.choice import confirm
from ..dialogs.editor import EditorDialog
from ..i18n import t
from .cells import cell

Cell = str | Text
Column = tuple[str, Callable[[Any], Cell]]  # (header text key, item -> cell)


class ItemTable(UsesSession, DataTable):
    """The items of ``list_name``; the visible ones are those ``keep`` accepts. ``depends`` names
    other parts of the plan its cells show (an action's objective title: "objectives")."""

    DEFAULT_CSS = "ItemTable { height: auto; max-height: 20; }"
    BINDINGS = bindings("item.add", "item.edit", "item.delete", "item.up", "item.down")

    def __init__(
        self,
        list_name: str,
        columns: list[Column],
        *,
        editor_fields: list[str] | None = None,
        defaults: Callable[[], dict[str, Any]] | None = None,
        row_style: Callable[[Any], str] | None = None,
        depends: tuple[str, ...] = (),
        place: Callable[[dict[str, Any]], int] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.list_name = list_name
        self.columns_spec = columns
        self.editor_fields = editor_fields
        self.defaults = defaults or dict
        self.row_style = row_style or (lambda item: "")
        self.depends = frozenset({list_name, *depends})
        self.place = place  # where a new item goes, from its values (default: after the cursor)
        self.keep: Callable[[Any], bool] = lambda item: True
        self.sort_key: Callable[[Any], Any] | None = None
        self._rows: list[int] = []  # uid of each visible row

    def on_mount(self) -> None:
        for header, _ in self.columns_spec:
            self.add_column(t(header))
        self.refresh_rows()

    @property
    def items(self) -> list[Any]:
        return self.session.items(self.list_name)

    def shows(self, touched: frozenset[str]) -> bool:
        """True if a change of ``touched`` parts changes what this table shows."""
        return "*" in touched or not self.depends.isdisjoint(touched)

    def refresh_rows(self, select_uid: int | None = None) -> None:
        """Show the plan's items again (after an edit, an undo, a reload, a filter change); the cursor
        stays on the item it was on (or on ``select_uid``), else on the same row."""
        keep_row = self.cursor_row
        keep_uid = select_uid if select_uid is not None else self.current_uid()
        items = self.items
        visible = [item for item in items if self.keep(item)]
        if self.sort_key is not None:
            visible.sort(key=self.sort_key)
        self._rows = [item.uid for item in visible]
        self.clear()
        for item in visible:
            style = self.row_style(item)
            self.add_row(*[self._styled(get(item), style) for _, get in self.columns_spec], key=str(item.uid))
        if keep_uid is not None and keep_uid in self._rows:
            self.move_cursor(row=self._rows.index(keep_uid))
        elif visible:
            self.move_cursor(row=max(0, min(keep_row, len(visible) - 1)))

    def select_uid(self, uid: int) -> bool:
        """Put the cursor on the item ``uid`` if it is shown."""
        if uid in self._rows:
            self.move_cursor(row=self._rows.index(uid))
            return True
        return False

    @staticmethod
    def _styled(value: Cell, style: str) -> Text:
        if isinstance(value, Text):
            if style:
                value.stylize(style)
            return value
        return cell(value, style)

    def current_uid(self) -> int | None:
        if not self._rows or self.cursor_row < 0 or self.cursor_row >= len(self._rows):
            return None
        return self._rows[self.cursor_row]

    def _title(self) -> str:
        return t(f"list.{self.list_name}.one")

    def action_add(self) -> None:
        if self.kam.read_only_notice():
            return
        from ...model import ops

        session = self.session
        draft = ops.new_item(session.plan, self.list_name, **self.defaults())  # not in the plan
        after = self.current_uid()

        def done(values: dict[str, Any] | None) -> None:
            if values is None or session is not self.kam.session:
                return
            at = session.index_of(self.list_name, after) if after is not None else None
            values = {"id": draft.id, **values} if hasattr(draft, "id") else values
            index = self.place(values) if self.place is not None else None if at is None else at + 1
            uid = session.add_item(self.list_name, values, index=index)
            if uid is not None:
                self.refresh_rows(select_uid=uid)

        self.app.push_screen(
            EditorDialog(t("table.new", what=self._title()), draft, self.editor_fields, self.kam.ref_choices()), done
        )

    def _current_item(self) -> tuple[int, Any] | None:
        """(uid, item) under the cursor, when there is one and the plan can be changed."""
        uid = self.current_uid()
        if uid is None or self.kam.read_only_notice():
            return None
        item = self.session.item(self.list_name, uid)
        return None if item is None else (uid, item)

    def action_edit(self) -> None:
        current = self._current_item()
        if current is None:
            return
        uid, item = current
        session = self.session

        def done(values: dict[str, Any] | None) -> None:
            if values is None or session is not self.kam.session:
                return
            if session.item(self.list_name, uid) is None:
                # Removed meanwhile (a reload, an undo): the user's edits are kept, as the item again.
                new = session.add_item(self.list_name, {"id": item.id, **values} if hasattr(item, "id") else values)
                self.notify(t("table.readded", what=self._title()), severity="warning", markup=False)
                if new is not None:
                    self.refresh_rows(select_uid=new)
                return
            session.set_fields((self.list_name, uid), values)

        self.app.push_screen(
            EditorDialog(
                t("table.editing", what=self._title()), copy.copy(item), self.editor_fields, self.kam.ref_choices()
            ),
            done,
        )

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def action_delete(self) -> None:
        current = self._current_item()
        if current is None:
            return
        uid, item = current
        session = self.session
        label = getattr(item, "label", None) or getattr(item, "title", "") or getattr(item, "name", "")

        def done(answer: str | None) -> None:
            if answer == "yes" and session is self.kam.session:
                session.delete_item(self.list_name, uid)

        self.app.push_screen(confirm(t("table.delete_title"), t("table.delete_ask", what=str(label))), done)

    def action_move(self, delta: int) -> None:
        uid = self.current_uid()
        if uid is None or self.kam.read_only_notice():
            return
        if self.sort_key is not None:
            self.notify(t("table.sorted_no_move"), severity="warning", markup=False)
            return
        self.session.move_item(self.list_name, uid, delta)
