"""Actions: the joint action plan — our investment against the client's commitment."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Static

from ...model import clock
from ...model.plan import ACTION_STATUSES, Action
from ...model.rules import display_name, is_closed, is_overdue
from ..commands import bindings
from ..i18n import t, value_label
from ..text import shown
from ..widgets.cells import money
from ..widgets.columns import Col, Importance
from ..widgets.detail import TableView
from ..widgets.itemtable import ItemTable
from .base import Section

# Columns by importance. Must-see at every width (80 columns included): what is done, by whom,
# by when, where it stands, what we invest and what the client commits in return.
IMPORTANCE = Importance(
    must=("title", "owner", "due", "status", "investment", "client_commitment"),
    then=("objective",),
)


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
        yield TableView(
            ItemTable(
                "actions",
                [
                    Col("title", "field.title", lambda a: a.title, width=30, least=16, main=True),
                    Col("due", "field.due", lambda a: a.due.isoformat() if a.due else "", width=10, least=10),
                    Col("status", "field.status", self.status, width=13, least=7),
                    Col("owner", "field.owner", lambda a: a.owner, width=16, least=8, short="column.owner"),
                    Col(
                        "investment",
                        "field.investment",
                        lambda a: money(a.investment),
                        10,
                        6,
                        short="column.investment",
                    ),
                    Col(
                        "client_commitment",
                        "field.client_commitment",
                        lambda a: a.client_commitment,
                        30,
                        10,
                        short="column.client_commitment",
                    ),
                    Col("objective", "field.objective", self.objective, width=24),
                ],
                IMPORTANCE,
                row_style=lambda a: "bold red" if is_overdue(a, today) else "dim" if is_closed(a) else "",
                depends=("objectives",),
                required=("title",),
                id="actions-table",
            )
        )

    def status(self, action: Action) -> str:
        overdue = is_overdue(action, clock.today())
        return ("⚠ " if overdue else "") + value_label(action.status)

    def objective(self, action: Action) -> str:
        return display_name(self.session.plan, "objectives", action.objective)

    def on_mount(self) -> None:
        super().on_mount()
        self.show_summary()

    def show_summary(self) -> None:
        """Totals of the actions shown: how many (of how many), overdue, our investment (actions not
        dropped), the client's commitments."""
        plan = self.session.plan
        table = self.query_one("#actions-table", ItemTable)
        keep = table.keep
        shown_actions = [a for a in plan.actions if keep(a)]
        today = clock.today()
        invested = sum(a.investment or 0 for a in shown_actions if a.status != "dropped")
        filters = []
        if self.status_filter:
            filters.append(value_label(self.status_filter))
        if self.owner_filter:
            filters.append(shown(self.owner_filter))
        count = len(plan.actions)
        if len(shown_actions) == count:
            text = t("actions.count", count=count)
        else:
            text = t("actions.summary_of", shown=len(shown_actions), count=count)
        text += " · " + t(
            "actions.summary",
            overdue=sum(1 for a in shown_actions if is_overdue(a, today)),
            investment=money(invested),
            currency=shown(plan.account.currency),
            commitments=sum(1 for a in shown_actions if a.client_commitment.strip()),
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
