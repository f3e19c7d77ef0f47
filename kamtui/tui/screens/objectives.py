"""Objectives: SMART objectives and how far each one is toward its target."""

from __future__ import annotations

from textual.app import ComposeResult

from ...model.plan import Plan
from ...model.rules import display_name, objective_actual, objective_progress
from ..i18n import value_label
from ..widgets.cells import bar, number
from ..widgets.columns import Col, Importance
from ..widgets.detail import TableView
from ..widgets.itemtable import ItemTable
from .base import Section

# Columns by importance. Must-see at every width: where each objective started, where it is, where
# it must get to, how far along, by when, and its status; then the KPI it is measured by.
IMPORTANCE = Importance(
    must=("title", "baseline", "actual", "target", "progress", "deadline", "status"),
    then=("kpi",),
)


class ObjectivesSection(Section):
    def compose(self) -> ComposeResult:
        def plan() -> Plan:
            return self.session.plan

        yield self.heading("section.objectives")
        yield TableView(
            ItemTable(
                "objectives",
                [
                    Col("title", "field.title", lambda o: o.title, width=30, least=11, main=True),
                    Col("kpi", "field.kpi", lambda o: display_name(plan(), "kpis", o.kpi), width=20),
                    Col("baseline", "field.baseline", lambda o: number(o.baseline), 9, 5, short="column.baseline"),
                    Col("target", "field.target", lambda o: number(o.target), width=9, least=5),
                    Col(
                        "actual",
                        "objectives.actual",
                        lambda o: number(objective_actual(plan(), o)),
                        13,
                        6,
                        short="column.actual",
                    ),
                    Col(
                        "progress",
                        "objectives.progress",
                        lambda o: bar(objective_progress(plan(), o), 6, status=o.status),
                        12,
                        12,
                    ),
                    Col("deadline", "field.deadline", lambda o: o.deadline.isoformat() if o.deadline else "", 10, 10),
                    Col("status", "field.status", lambda o: value_label(o.status), width=16, least=9),
                ],
                IMPORTANCE,
                row_style=lambda o: "dim" if o.status == "dropped" else "",
                depends=("kpis", "measures"),
                required=("title",),
                id="objectives-table",
            )
        )


SECTION = ObjectivesSection
