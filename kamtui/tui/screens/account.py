"""Account: the client's identity, the plan period, our account team."""

from __future__ import annotations

from textual.app import ComposeResult

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
        yield ItemTable("team", [("field.name", lambda m: m.name), ("field.role", lambda m: m.role)], id="team-table")


SECTION = AccountSection
