"""A table of the items of one plan list, with add / edit / delete / move by keyboard."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

from ...model import ops
from ..dialogs.choice import confirm
from ..dialogs.editor import EditorDialog
from ..i18n import t
from .cells import cell

Cell = str | Text
Column = tuple[str, Callable[[Any], Cell]]  # (header text key, item -> cell)


class ItemTable(DataTable):
    """The items of ``list_name``; the visible ones are those ``keep`` accepts."""

    DEFAULT_CSS = "ItemTable { height: auto; max-height: 20; }"
    BINDINGS = [
        Binding("a,insert", "add", t("table.add"), id="item.add"),
        Binding("e", "edit", t("table.edit"), id="item.edit"),
        Binding("d,delete", "delete", t("table.delete"), id="item.delete"),
        Binding("K,shift+up", "move(-1)", t("table.up"), id="item.up"),
        Binding("J,shift+down", "move(1)", t("table.down"), id="item.down"),
    ]

    def __init__(
        self,
        list_name: str,
        columns: list[Column],
        *,
        editor_fields: list[str] | None = None,
        defaults: Callable[[], dict[str, Any]] | None = None,
        row_style: Callable[[Any], str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.list_name = list_name
        self.columns_spec = columns
        self.editor_fields = editor_fields
        self.defaults = defaults or dict
        self.row_style = row_style or (lambda item: "")
        self.keep: Callable[[Any], bool] = lambda item: True
        self.sort_key: Callable[[Any], Any] | None = None
        self._rows: list[int] = []  # plan list index of each visible row

    def on_mount(self) -> None:
        for header, _ in self.columns_spec:
            self.add_column(t(header))
        self.refresh_rows()

    @property
    def items(self) -> list[Any]:
        return self.app.plan.items(self.list_name)

    def refresh_rows(self, select_index: int | None = None) -> None:
        """Show the plan's items again (after an edit, a reload, a filter change)."""
        keep_row = self.cursor_row
        items = self.items
        visible = [n for n, item in enumerate(items) if self.keep(item)]
        if self.sort_key is not None:
            visible.sort(key=lambda n: self.sort_key(items[n]))
        self._rows = visible
        self.clear()
        for n in visible:
            item = items[n]
            style = self.row_style(item)
            self.add_row(*[self._styled(get(item), style) for _, get in self.columns_spec], key=str(n))
        if select_index is not None and select_index in visible:
            self.move_cursor(row=visible.index(select_index))
        elif visible:
            self.move_cursor(row=min(keep_row, len(visible) - 1))

    @staticmethod
    def _styled(value: Cell, style: str) -> Text:
        if isinstance(value, Text):
            if style:
                value.stylize(style)
            return value
        return cell(value, style)

    def _changed(self, select_index: int | None = None) -> None:
        """After an edit: mark the plan changed, show this table and its neighbours again."""
        self.app.plan_changed()
        for table in (self.parent or self).query(ItemTable):
            if table is not self:
                table.refresh_rows()
        self.refresh_rows(select_index=select_index)

    def current_index(self) -> int | None:
        if not self._rows or self.cursor_row < 0 or self.cursor_row >= len(self._rows):
            return None
        return self._rows[self.cursor_row]

    def _title(self, item: Any) -> str:
        return t(f"list.{self.list_name}.one")

    def action_add(self) -> None:
        plan = self.app.plan
        item = ops.new_item(plan, self.list_name, **self.defaults())
        if self.app.read_only_notice():
            return

        def done(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            ops.update_item(item, **values)
            at = self.current_index()
            index = ops.add_item(plan, self.list_name, item, None if at is None else at + 1)
            self._changed(index)

        self.app.push_screen(
            EditorDialog(t("table.new", what=self._title(item)), item, self.editor_fields, self.app.ref_choices()), done
        )

    def action_edit(self) -> None:
        index = self.current_index()
        if index is None or self.app.read_only_notice():
            return
        item = self.items[index]

        def done(values: dict[str, Any] | None) -> None:
            if values is not None and ops.update_item(item, **values):
                self._changed(index)

        self.app.push_screen(
            EditorDialog(t("table.editing", what=self._title(item)), item, self.editor_fields, self.app.ref_choices()),
            done,
        )

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def action_delete(self) -> None:
        index = self.current_index()
        if index is None or self.app.read_only_notice():
            return
        item = self.items[index]
        label = getattr(item, "label", None) or getattr(item, "title", "") or getattr(item, "name", "")

        def done(answer: str | None) -> None:
            if answer == "yes":
                ops.remove_item(self.app.plan, self.list_name, index)
                self._changed()

        self.app.push_screen(confirm(t("table.delete_title"), t("table.delete_ask", what=str(label))), done)

    def action_move(self, delta: int) -> None:
        index = self.current_index()
        if index is None or self.app.read_only_notice():
            return
        if self.sort_key is not None:
            self.notify(t("table.sorted_no_move"), severity="warning")
            return
        new = ops.move_item(self.app.plan, self.list_name, index, delta)
        if new != index:
            self._changed(new)
