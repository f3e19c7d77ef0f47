"""Relationships: the client's people (coverage at a glance) and the history of the relationship."""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content

from ...model import clock
from ..i18n import t, value_label
from ..widgets.itemtable import ItemTable
from .base import Section

SORTS = ("order", "name", "influence", "last_contact")


def days_since(day: dt.date | None, today: dt.date) -> str:
    return "—" if day is None else str((today - day).days)


class RelationshipsSection(Section):
    BINDINGS = [Binding("s", "sort", t("relationships.sort"), id="relationships.sort")]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sort = "order"

    def uncovered(self, s: Any) -> bool:
        """A decision maker without a recent contact: stands out."""
        if s.role != "decision-maker":
            return False
        limit = self.app.config.contact_days
        return s.last_contact is None or (clock.today() - s.last_contact).days > limit

    def compose(self) -> ComposeResult:
        today = clock.today()
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
                (
                    "relationships.days",
                    lambda s: (
                        days_since(s.last_contact, today)
                        + ("  ⚠ " + t("relationships.no_contact") if self.uncovered(s) else "")
                    ),
                ),
            ],
            row_style=lambda s: "bold red" if self.uncovered(s) else "",
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
        self.notify(Content(t("relationships.sorted", by=t("relationships.sort_" + self.sort))))


SECTION = RelationshipsSection
