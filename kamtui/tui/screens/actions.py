"""Actions: the joint action plan — our investment against the client's commitment."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Static

from ...model import clock
from ...model.plan import ACTION_STATUSES
from ...model.rules import display_name, investment_summary, is_closed, is_overdue, overdue_actions
from ..commands import bindings
from ..i18n import t, value_label
from ..text import shown
from ..widgets.cells import money
from ..widgets.itemtable import ItemTable
from .base import Section


class ActionsSection(Section):
    DEFAULT_CSS = """
    #actions-table { max-height: 30; }
    #actions-summary { height: 1; color: $text-muted; }
    """
    BINDINGS = bindings("actions.filter_status", "actions.filter_owner")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.status_filter: str | None = None
        self.owner_filter: str | None = None

    def compose(self) -> ComposeResult:
        today = clock.today()
        yield self.heading("section.actions")
        yield Static("", id="actions-summary")
        yield ItemTable(
            "actions",
            [
                ("field.title", lambda a: a.title),
                ("field.due", lambda a: ("⚠ " if is_overdue(a, today) else "") + (a.due.isoformat() if a.due else "")),
                (
                    "field.status",
                    lambda a: value_label(a.status) + (" · " + t("actions.overdue") if is_overdue(a, today) else ""),
                ),
                ("field.owner", lambda a: a.owner),
                ("field.investment", lambda a: money(a.investment)),
                ("field.client_commitment", lambda a: a.client_commitment),
                ("field.objective", lambda a: display_name(self.session.plan, "objectives", a.objective)),
            ],
            row_style=lambda a: "bold red" if is_overdue(a, today) else "dim" if is_closed(a) else "",
            depends=("objectives",),
            id="actions-table",
        )

    def on_mount(self) -> None:
        super().on_mount()
        self.show_summary()

    def show_summary(self) -> None:
        plan = self.session.plan
        filters = []
        if self.status_filter:
            filters.append(value_label(self.status_filter))
        if self.owner_filter:
            filters.append(shown(self.owner_filter))
        text = t(
            "actions.summary",
            count=len(plan.actions),
            overdue=len(overdue_actions(plan, clock.today())),
            investment=money(investment_summary(plan).total),
            currency=shown(plan.account.currency),
        )
        if filters:
            text += "   " + t("actions.filtered", by=", ".join(filters))
        self.query_one("#actions-summary", Static).update(Content(text))

    def show_plan(self, touched: frozenset[str]) -> None:
        super().show_plan(touched)
        if "*" in touched or "actions" in touched or "account" in touched:
            self.show_summary()

    def _apply(self) -> None:
        table = self.query_one("#actions-table", ItemTable)
        status, owner = self.status_filter, self.owner_filter
        table.keep = lambda a: (status is None or a.status == status) and (owner is None or a.owner == owner)
        table.refresh_rows()
        self.show_summary()

    def action_filter_status(self) -> None:
        cycle = [None, *ACTION_STATUSES]
        self.status_filter = cycle[(cycle.index(self.status_filter) + 1) % len(cycle)]
        self._apply()

    def action_filter_owner(self) -> None:
        owners = sorted({a.owner for a in self.session.plan.actions if a.owner})
        cycle: list[str | None] = [None, *owners]
        current = self.owner_filter if self.owner_filter in cycle else None
        self.owner_filter = cycle[(cycle.index(current) + 1) % len(cycle)]
        self._apply()


SECTION = ActionsSection
