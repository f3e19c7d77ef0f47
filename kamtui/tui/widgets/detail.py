"""The detail panel of an item table: the item under the cursor, whole (long texts wrapped).

:class:`TableView` holds an :class:`ItemTable` and its :class:`ItemDetail`: the panel sits below
the table, shown while the table has the focus, or beside it when the section is wide enough
(then always shown). The table tells the panel which item to show as its cursor moves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from ...model.inputs import to_text
from ...model.rules import display_name
from ...model.schema import BOOL, ENUM, REF, specs
from ..breakpoints import WidthBeforeLayout
from ..i18n import field_label, t, value_label
from ..text import plan_content
from .cells import money

if TYPE_CHECKING:
    from ...model.plan import Plan
    from .columns import Col
    from .itemtable import ItemTable

BESIDE = 170  # from this width on (200 columns, no checklist), the panel sits beside the table
PANEL = 40  # its width there


def field_text(plan: Plan, item: Any, name: str) -> str:
    """A field of an item as a user reads it: names for references, words for choices."""
    spec = dict(specs(item))[name]
    value = getattr(item, name)
    if spec.kind == REF and spec.ref:
        return display_name(plan, spec.ref, value)
    if name == "ask":  # a gap's whom to ask: a stakeholder's id, or free text
        return display_name(plan, "stakeholders", value)
    if spec.kind == BOOL:
        return t("value.yes") if value else t("value.no")
    if spec.kind == ENUM:
        return value_label(value)
    if name == "investment":
        return money(value)
    return to_text(spec, value)


def detail_content(plan: Plan, item: Any, fields: list[str] | None, cols: list[Col]) -> Content:
    """Every field of ``item`` (or ``fields``), then what the table's columns compute from it."""
    names = fields or [name for name, _ in specs(item) if name != "id"]
    parts: list[Content] = []
    for name in names:
        text = field_text(plan, item, name)
        if text:
            parts.append(Content.assemble((field_label(name) + ": ", "bold"), plan_content(text, multiline=True)))
    for col in cols:
        if col.name not in names and not hasattr(item, col.name):
            value = col.get(item)
            text = value.plain if hasattr(value, "plain") else str(value)
            if text.strip():
                parts.append(Content.assemble((t(col.header) + ": ", "bold"), plan_content(text)))
    return Content("\n").join(parts) if parts else Content(t("table.detail_none"))


class ItemDetail(Static):
    """The item under the table's cursor, whole."""

    def on_resize(self, event: events.Resize) -> None:
        # Shown (its table focused) or grown: its table scrolls it into view with the cursor's row.
        parent = self.parent
        if isinstance(parent, TableView) and parent.table.has_focus:
            parent.table.scroll_cursor_into_view()


class TableView(Vertical):
    """An item table with its detail panel."""

    DEFAULT_CSS = f"""
    TableView {{ height: auto; }}
    TableView ItemDetail {{
        height: auto; display: none; padding: 0 1; margin-top: 1;
        border-left: wide $primary; background: $boost;
    }}
    TableView.table-focused ItemDetail {{ display: block; }}
    TableView.beside {{ layout: horizontal; }}
    TableView.beside ItemTable {{ width: 1fr; }}
    TableView.beside ItemDetail {{ display: block; width: {PANEL}; margin: 0 0 0 1; }}
    """

    def __init__(self, table: ItemTable, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.table = table
        self.detail = ItemDetail("", id=f"{table.id}-detail" if table.id else None, markup=False)
        table.detail = self.detail

    def compose(self) -> ComposeResult:
        box = self.parent
        width = box.content_width() if isinstance(box, WidthBeforeLayout) else 0
        if width:  # its width known before its first layout: the panel placed for it already
            self.set_class(width >= BESIDE, "beside")
        yield self.table
        yield self.detail

    def table_width(self) -> int:
        """The width its table gets (0: not known yet)."""
        box = self.parent
        width = self.size.width or (box.content_width() if isinstance(box, WidthBeforeLayout) else 0)
        return max(width - PANEL - 1, 0) if width and self.has_class("beside") else width

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width >= BESIDE, "beside")
