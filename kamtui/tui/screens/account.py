"""Account: the client's identity, the plan period, our account team."""

from __future__ import annotations

from textual.app import ComposeResult

from ..widgets.columns import Col
from ..widgets.detail import TableView
from ..widgets.form import FieldForm
from ..widgets.itemtable import ItemTable
from .base import Section

FIELDS = ["name", "group", "sector", "country", "currency", "period_start", "period_end", "kam", "summary"]


class AccountSection(Section):
    def compose(self) -> ComposeResult:
        yield self.heading("section.account")
        yield FieldForm(
            lambda: self.plan_part("account"), FIELDS, part="account", id="account-form", classes="inline-form"
        )
        yield self.heading("heading.team")
        # Both columns are must-see: who is on our team, and their role.
        yield TableView(
            ItemTable(
                "team",
                [
                    Col("name", "field.name", lambda m: m.name, width=24, least=14, main=True),
                    Col("role", "field.role", lambda m: m.role, width=30, least=10),
                ],
                required=("name",),
                id="team-table",
            )
        )


SECTION = AccountSection
