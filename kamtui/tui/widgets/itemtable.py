"""A table of the items of one plan list, with add / edit / delete / move by keyboard.

Rows are keyed by the items' ``uid``: the table reads the list again from the session whenever
it is shown the plan (after any edit, undo or reload) and keeps its cursor on the same item. It
never keeps an item: the item editor works on a copy, and the edit goes through the session.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.content import Content
from textual.widget import Widget
from textual.widgets import DataTable

from ..access import UsesSession
from ..commands import bindings
from ..dialogs.choice import confirm
from ..dialogs.editor import EditorDialog
from ..i18n import t
from ..text import show
from .cells import cell, fit
from .columns import PAD, Cell, Col, Importance, layout, natural_widths
from .detail import TableView
from .form import RefChoices

if TYPE_CHECKING:
    from textual import events

    from .detail import ItemDetail

SCROLLBAR = 2  # room kept for the table's vertical scroll bar


def as_col(column: Col | tuple[str, Callable[[Any], Cell]], first: bool) -> Col:
    """A column given as (header key, item -> cell) — all must-see, the first one the main one."""
    if isinstance(column, Col):
        return column
    header, get = column
    return Col(header.rsplit(".", 1)[-1], header, get, width=30, least=8, main=first)


class ItemTable(UsesSession, DataTable):
    """The items of ``list_name``; the visible ones are those ``keep`` accepts. ``depends`` names
    other parts of the plan its cells show (an action's objective title: "objectives").

    Its columns are ``columns`` (declared once, as data); ``importance`` says which ones must be
    seen at every width and which come next: at each width (and again when it changes) the table
    shows the must-see ones and as many of the others as fit, the main column taking the rest.
    ``required`` fields must not be left blank in the item editor."""

    DEFAULT_CSS = "ItemTable { height: auto; max-height: 20; }"
    BINDINGS = bindings("item.add", "item.edit", "item.delete", "item.up", "item.down")

    def __init__(
        self,
        list_name: str,
        columns: Sequence[Col | tuple[str, Callable[[Any], Cell]]],
        importance: Importance | None = None,
        *,
        editor_fields: list[str] | None = None,
        defaults: Callable[[], dict[str, Any]] | None = None,
        row_style: Callable[[Any], str] | None = None,
        depends: tuple[str, ...] = (),
        place: Callable[[dict[str, Any]], int] | None = None,
        required: tuple[str, ...] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.list_name = list_name
        self.columns_spec = [as_col(c, first=n == 0) for n, c in enumerate(columns)]
        self.importance = importance or Importance(tuple(col.name for col in self.columns_spec))
        self.editor_fields = editor_fields
        self.defaults = defaults or dict
        self.row_style = row_style or (lambda item: "")
        self.depends = frozenset({list_name, *depends})
        self.place = place  # where a new item goes, from its values (default: after the cursor)
        self.required = required
        self.keep: Callable[[Any], bool] = lambda item: True
        self.sort_key: Callable[[Any], Any] | None = None
        self.detail: ItemDetail | None = None  # set by the TableView holding the table
        self._rows: list[int] = []  # uid of each visible row
        self._cells: list[list[Text]] = []  # every column's cell of each visible row, uncut
        # The columns' natural widths for these cells and headers: measured once per refresh of
        # the rows, not at each resize (a section shown again resizes its tables: 12 ms at 1,000 rows).
        self._natural: tuple[tuple[str, ...], list[int]] | None = None
        self._shown: list[tuple[int, int]] = []  # (column index, width) of the columns shown
        self._total = 0  # items in the list, shown or not
        self._hidden_uid: int | None = None  # the item the cursor was on when a filter hid it
        self._placed_uid: int | None = None  # where the table last put the cursor itself
        self._reveal_pending = False  # the detail panel is to be scrolled into view after a refresh

    def on_mount(self) -> None:
        self.refresh_rows()

    @property
    def items(self) -> list[Any]:
        return self.session.items(self.list_name)

    @property
    def counts(self) -> tuple[int, int]:
        """(items shown, items in the list)."""
        return len(self._rows), self._total

    def shown_columns(self) -> list[str]:
        """The names of the columns shown now, in order."""
        return [self.columns_spec[n].name for n, _ in self._shown]

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
        self._total = len(items)
        self._rows = [item.uid for item in visible]
        self._cells = []
        self._natural = None
        for item in visible:
            style = self.row_style(item)
            self._cells.append([self._styled(col.get(item), style) for col in self.columns_spec])
        self._build(keep_uid, keep_row)

    def _available(self) -> int:
        """The width for its columns: its own, else (not laid out yet) the one it will get."""
        parent = self.parent
        width = self.size.width
        if not width and isinstance(parent, TableView):
            width = parent.table_width()
        elif not width and isinstance(parent, Widget):
            width = parent.size.width
        return max((width or self.app.size.width) - SCROLLBAR, 10)

    def _layout(self) -> list[tuple[int, int]]:
        headers = tuple(t(col.header) for col in self.columns_spec)
        if self._natural is None or self._natural[0] != headers:  # new rows, or another language
            self._natural = headers, natural_widths(self.columns_spec, headers, self._cells)
        return layout(self.columns_spec, self.importance, self._natural[1], self._available())

    @staticmethod
    def _header(col: Col, width: int) -> str:
        """The column's header, or its short one when the whole one does not fit."""
        header = t(col.header)
        return t(col.short) if col.short and Text(header).cell_len > width else header

    def _build(self, keep_uid: int | None, keep_row: int) -> None:
        """Fill the table from the cells read last, with the columns that fit its width now."""
        self._shown = self._layout()
        self.clear(columns=True)
        for n, width in self._shown:
            col = self.columns_spec[n]
            self.add_column(fit(Text(self._header(col, width)), width), width=width, key=col.name)
        for uid, cells in zip(self._rows, self._cells, strict=True):
            self.add_row(*[fit(cells[n], width) for n, width in self._shown], key=str(uid))
        # An item hidden by a filter is remembered: the cursor goes back to it when it is shown
        # again (the filter cleared), unless the user has moved the cursor meanwhile.
        if self._hidden_uid is not None and self._hidden_uid in self._rows:
            keep_uid, self._hidden_uid = self._hidden_uid, None
        elif keep_uid is not None and keep_uid not in self._rows and self._hidden_uid is None:
            self._hidden_uid = keep_uid
        if keep_uid is not None and keep_uid in self._rows:
            self.move_cursor(row=self._rows.index(keep_uid))
        elif self._rows:
            self.move_cursor(row=max(0, min(keep_row, len(self._rows) - 1)))
        self._placed_uid = self.current_uid()
        self.show_detail()

    def on_resize(self, event: events.Resize) -> None:
        if self._layout() != self._shown:
            self._build(self.current_uid(), self.cursor_row)

    def on_focus(self, event: events.Focus) -> None:
        self._show_focus(True)
        # Another table's panel folding away moves this one: scrolled into view again after that.
        # (Textual's own scroll to a focused widget is PlanScreen.scroll_to_center.)
        self.call_after_refresh(self._scroll_into_view)

    def scroll_cursor_into_view(self) -> None:
        self._scroll_into_view()

    def _scroll_into_view(self) -> None:
        """The row under the cursor in view. (The table grows with its rows and the section
        scrolls: on 24 lines the cursor's row was scrolled away to show the panel below.)"""
        if not self.has_focus or not self.is_attached:
            return
        box = next(
            (a for a in self.ancestors if isinstance(a, Widget) and a.is_scrollable and a.allow_vertical_scroll), None
        )
        if box is None or self.row_count == 0:
            return
        row_y = self.region.y + self.header_height + self.cursor_row - round(self.scroll_offset.y)
        view = box.content_region
        if row_y - self.header_height < view.y:  # the header too, above the row
            box.scroll_relative(y=row_y - self.header_height - view.y, animate=False, immediate=True)
        elif row_y >= view.bottom:
            box.scroll_relative(y=row_y - view.bottom + 1, animate=False, immediate=True)
        if self.detail is not None and not self._reveal_pending:
            self._reveal_pending = True
            self.call_after_refresh(self._reveal_detail, box)

    def _reveal_detail(self, box: Widget) -> None:
        """The detail panel below the table in view too, as far as the cursor's row and the heading
        above the table stay in view (at 24 lines a table low in its section had its panel below
        the screen's bottom). Once laid out: the panel's place is known then."""
        self._reveal_pending = False
        detail = self.detail
        if detail is None or not self.has_focus or not detail.display or not detail.region.height:
            return
        row_y = self.region.y + self.header_height + self.cursor_row - round(self.scroll_offset.y)
        view = box.content_region
        below = detail.region.bottom - view.bottom
        room = min(row_y - self.header_height, self._heading_y()) - view.y
        if detail.region.y > row_y and below > 0 and room > 0:
            box.scroll_relative(y=min(below, room), animate=False, immediate=True)

    def _heading_y(self) -> int:
        """Where the heading just above this table (and its panel) is on screen, if there is one."""
        holder = self.parent if self.detail is not None else self
        box = holder.parent if holder is not None else None
        if not isinstance(holder, Widget) or not isinstance(box, Widget):
            return self.region.y
        siblings = list(box.children)
        at = siblings.index(holder)
        before = siblings[at - 1] if at > 0 else None
        if isinstance(before, Widget) and before.has_class("heading") and before.region.height:
            return before.region.y
        return self.region.y

    def on_blur(self, event: events.Blur) -> None:
        self._show_focus(False)

    def _show_focus(self, focused: bool) -> None:
        """The detail panel below the table is shown while the table has the focus."""
        if self.detail is not None and self.parent is not None:
            self.parent.set_class(focused, "table-focused")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self.current_uid() != self._placed_uid:
            self._hidden_uid = None  # the user moved on: no going back to a hidden item
        self.show_detail()
        self.call_after_refresh(self._scroll_into_view)

    def show_detail(self) -> None:
        """Show the item under the cursor in the detail panel."""
        if self.detail is None:
            return
        from .detail import detail_content

        uid = self.current_uid()
        item = None if uid is None else self.session.item(self.list_name, uid)
        if item is None:
            show(self.detail, Content(t("table.detail_none")))
        else:
            show(self.detail, detail_content(self.session.plan, item, self.editor_fields, self.columns_spec))

    def action_cursor_right(self) -> None:
        """Sideways, a column at a time (not a character)."""
        if self.cursor_type != "row":
            super().action_cursor_right()
            return
        starts = self._column_starts()
        target = next((x for x in starts if x > self.scroll_x), None)
        if target is not None:
            self.scroll_to(x=target, animate=False)

    def action_cursor_left(self) -> None:
        if self.cursor_type != "row":
            super().action_cursor_left()
            return
        starts = self._column_starts()
        target = next((x for x in reversed(starts) if x < self.scroll_x), 0)
        self.scroll_to(x=target, animate=False)

    def _column_starts(self) -> list[int]:
        starts, x = [], 0
        for _, width in self._shown:
            starts.append(x)
            x += width + PAD
        return starts

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
        return cell(value, style, width=None)

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
            EditorDialog(t("table.new", what=self._title()), draft, self.editor_fields, self._refs(), self.required),
            done,
        )

    def _refs(self) -> RefChoices:
        """What references in the editor are chosen from: the plan's lists, and our team."""
        return {**self.kam.ref_choices(), "team": [(m.name, m.name) for m in self.session.plan.account.team]}

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
                t("table.editing", what=self._title()),
                copy.copy(item),
                self.editor_fields,
                self._refs(),
                self.required,
            ),
            done,
        )

    def action_select_cursor(self) -> None:
        """Enter edits the row at once. Through DataTable's RowSelected message, keys typed straight
        after Enter were handled first: a (add), d (delete), J (move) acted on the table under
        the editor."""
        self.action_edit()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()  # a click on the row under the cursor
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
        """Move the item past its ``delta``-th visible neighbour: with a filter on, past the items
        shown only (its place among the hidden ones follows from theirs)."""
        uid = self.current_uid()
        if uid is None or self.kam.read_only_notice():
            return
        if self.sort_key is not None:
            self.notify(t("table.sorted_no_move"), severity="warning", markup=False)
            return
        row = self._rows.index(uid) + delta
        if not 0 <= row < len(self._rows):
            return
        at = self.session.index_of(self.list_name, uid)
        to = self.session.index_of(self.list_name, self._rows[row])
        if at is not None and to is not None:
            self.session.move_item(self.list_name, uid, to - at)
