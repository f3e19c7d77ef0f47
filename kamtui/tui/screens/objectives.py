"""Objectives: SMART objectives and how far each one is toward its target."""

from __future__ import annotations

from textual.app import ComposeResult

from ...model.plan import Plan
from ...model.rules import display_name, objective_actual, objective_progress
from ..i18n import value_label
from ..widgets.cells import bar, number
from ..widgets.itemtable import ItemTable
from .base import Section


class ObjectivesSection(Section):
    def compose(self) -> ComposeResult:
        def plan() -> Plan:
            return self.session.plan

        yield self.heading("section.objectives")
        yield ItemTable(
            "objectives",
            [
                ("field.title", lambda o: o.title),
                ("field.kpi", lambda o: display_name(plan(), "kpis", o.kpi)),
                ("field.baseline", lambda o: number(o.baseline)),
                ("field.target", lambda o: number(o.target)),
                ("objectives.actual", lambda o: number(objective_actual(plan(), o))),
                ("objectives.progress", lambda o: bar(objective_progress(plan(), o), status=o.status)),
                ("field.deadline", lambda o: o.deadline.isoformat() if o.deadline else ""),
                ("field.status", lambda o: value_label(o.status)),
            ],
            row_style=lambda o: "dim" if o.status == "dropped" else "",
            depends=("kpis", "measures"),
            id="objectives-table",
        )


SECTION = ObjectivesSection
