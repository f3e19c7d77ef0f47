"""Relationships: the client's people (coverage at a glance) and the history of the relationship."""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual.app import ComposeResult

from ...model import clock
from ...model.rules import days_since, needs_contact
from ..commands import bindings
from ..i18n import t, value_label
from ..widgets.itemtable import ItemTable
from .base import Section

SORTS = ("order", "name", "influence", "last_contact")


class RelationshipsSection(Section):
    BINDINGS = bindings("relationships.sort")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sort = "order"

    def compose(self) -> ComposeResult:
        today = clock.today()
        limit = self.kam.config.contact_days

        def days(s: Any) -> str:
            since = days_since(s.last_contact, today)
            text = "—" if since is None else str(since)
            return text + ("  ⚠ " + t("relationships.no_contact") if needs_contact(s, today, limit) else "")

        yield self.heading("section.relationships")
        yield ItemTable(
            "stakeholders",
            [
                ("field.name", lambda s: s.name),
                ("field.title", lambda s: s.title),
                ("field.role", lambda s: value_label(s.role)),
                ("field.influence", lambda s: "★" * s.influence),
                ("field.attitude", lambda s: value_label(s.attitude)),
                ("field.owner", lambda s: s.owner),
                ("relationships.days", days),
            ],
            row_style=lambda s: "bold red" if needs_contact(s, today, limit) else "",
            id="stakeholders-table",
        )
        yield self.heading("heading.history")
        yield ItemTable(
            "history",
            [
                ("field.date", lambda h: h.date.isoformat() if h.date else ""),
                ("field.tone", lambda h: {"positive": "+ ", "negative": "− "}.get(h.tone, "· ") + value_label(h.tone)),
                ("field.event", lambda h: h.event),
            ],
            id="history-table",
        )

    def action_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        table = self.query_one("#stakeholders-table", ItemTable)
        table.sort_key = {
            "order": None,
            "name": lambda s: s.name.lower(),
            "influence": lambda s: -s.influence,
            "last_contact": lambda s: s.last_contact or dt.date.min,
        }[self.sort]
        table.refresh_rows()
        self.notify(t("relationships.sorted", by=t("relationships.sort_" + self.sort)), markup=False)


SECTION = RelationshipsSection
