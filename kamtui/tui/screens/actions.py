"""Actions: the joint action plan — our investment against the client's commitment."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static

from ...model import clock
from ...model.plan import ACTION_STATUSES
from ..i18n import t, value_label
from ..widgets.itemtable import ItemTable
from .base import Section


def money(value: float | None) -> str:
    return "" if value is None else f"{value:,.0f}".replace(",", " ")


class ActionsSection(Section):
    DEFAULT_CSS = """
    #actions-table { max-height: 30; }
    #actions-summary { height: 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("f", "filter_status", t("actions.filter_status"), id="actions.filter_status"),
        Binding("o", "filter_owner", t("actions.filter_owner"), id="actions.filter_owner"),
    ]

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
                ("field.due", lambda a: ("⚠ " if a.is_overdue(today) else "") + (a.due.isoformat() if a.due else "")),
                (
                    "field.status",
                    lambda a: value_label(a.status) + (" · " + t("actions.overdue") if a.is_overdue(today) else ""),
                ),
                ("field.owner", lambda a: a.owner),
                ("field.investment", lambda a: money(a.investment)),
                ("field.client_commitment", lambda a: a.client_commitment),
                ("field.objective", lambda a: self.objective_title(a.objective)),
            ],
            row_style=lambda a: "bold red" if a.is_overdue(today) else "dim" if a.status in ("done", "dropped") else "",
            id="actions-table",
        )

    def on_mount(self) -> None:
        self.show_summary()

    def objective_title(self, objective_id: str) -> str:
        objective = self.app.plan.find("objectives", objective_id) if objective_id else None
        return objective.title if objective else objective_id

    def show_summary(self) -> None:
        plan = self.app.plan
        today = clock.today()
        overdue = sum(a.is_overdue(today) for a in plan.actions)
        invested = sum(a.investment or 0 for a in plan.actions if a.status != "dropped")
        filters = []
        if self.status_filter:
            filters.append(value_label(self.status_filter))
        if self.owner_filter:
            filters.append(self.owner_filter)
        text = t(
            "actions.summary",
            count=len(plan.actions),
            overdue=overdue,
            investment=money(invested),
            currency=plan.account.currency,
        )
        if filters:
            text += "   " + t("actions.filtered", by=", ".join(filters))
        self.query_one("#actions-summary", Static).update(Content(text))

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
        owners = sorted({a.owner for a in self.app.plan.actions if a.owner})
        cycle = [None, *owners]
        current = self.owner_filter if self.owner_filter in cycle else None
        self.owner_filter = cycle[(cycle.index(current) + 1) % len(cycle)]
        self._apply()

    def plan_edited(self) -> None:
        self.show_summary()

    def refresh_from_plan(self) -> None:
        super().refresh_from_plan()
        self.show_summary()


SECTION = ActionsSection
