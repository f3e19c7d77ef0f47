"""Relationships: the client's people (coverage at a glance) and the history of the relationship."""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual.app import ComposeResult

from ...model import clock
from ...model.rules import days_since, needs_contact
from ..commands import bindings
from ..i18n import t, value_label
from ..widgets.columns import Col, Importance
from ..widgets.detail import TableView
from ..widgets.itemtable import ItemTable
from .base import Section

SORTS = ("order", "name", "influence", "last_contact")


# Stakeholder columns by importance. Must-see at every width: who, their role and influence, their
# attitude to us, days since the last contact with the no-recent-contact alert; then our owner of
# the relationship and their job title. (History: every column.)
IMPORTANCE = Importance(must=("name", "role", "influence", "attitude", "days"), then=("owner", "title"))


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

        def tone(h: Any) -> str:
            return {"positive": "+ ", "negative": "− "}.get(h.tone, "· ") + value_label(h.tone)

        yield self.heading("section.relationships")
        yield TableView(
            ItemTable(
                "stakeholders",
                [
                    Col("name", "field.name", lambda s: s.name, width=24, least=14, main=True),
                    Col("title", "field.title", lambda s: s.title, width=20),
                    Col("role", "field.role", lambda s: value_label(s.role), width=14, least=8),
                    Col(
                        "influence",
                        "field.influence",
                        lambda s: "★" * s.influence,
                        width=9,
                        least=5,
                        short="column.influence",
                    ),
                    Col("attitude", "field.attitude", lambda s: value_label(s.attitude), width=10, least=7),
                    Col("owner", "field.owner", lambda s: s.owner, width=16, short="column.owner"),
                    Col("days", "relationships.days", days, width=22, least=6),
                ],
                IMPORTANCE,
                row_style=lambda s: "bold red" if needs_contact(s, today, limit) else "",
                required=("name",),
                id="stakeholders-table",
            )
        )
        yield self.heading("heading.history")
        yield TableView(
            ItemTable(
                "history",
                [
                    Col("date", "field.date", lambda h: h.date.isoformat() if h.date else "", width=10, least=10),
                    Col("tone", "field.tone", tone, width=12, least=3),
                    Col("event", "field.event", lambda h: h.event, width=40, least=16, main=True),
                ],
                id="history-table",
            )
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
