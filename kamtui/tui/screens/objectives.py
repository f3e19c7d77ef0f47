"""Objectives: SMART objectives and how far each one is toward its target."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult

from ...model.rules import latest_actual, progress
from ..i18n import value_label
from ..widgets.cells import bar, number
from ..widgets.itemtable import ItemTable
from .base import Section


class ObjectivesSection(Section):
    def compose(self) -> ComposeResult:
        yield self.heading("section.objectives")
        yield ItemTable(
            "objectives",
            [
                ("field.title", lambda o: o.title),
                ("field.kpi", lambda o: self.kpi_name(o.kpi)),
                ("field.baseline", lambda o: number(o.baseline)),
                ("field.target", lambda o: number(o.target)),
                ("objectives.actual", lambda o: self.actual_text(o)),
                ("objectives.progress", lambda o: bar(progress(o, latest_actual(self.app.plan, o.kpi)))),
                ("field.deadline", lambda o: o.deadline.isoformat() if o.deadline else ""),
                ("field.status", lambda o: value_label(o.status)),
            ],
            row_style=lambda o: "dim" if o.status == "dropped" else "",
            id="objectives-table",
        )

    def kpi_name(self, kpi_id: str) -> str:
        kpi = self.app.plan.find("kpis", kpi_id) if kpi_id else None
        return kpi.name if kpi else kpi_id

    def actual_text(self, objective: Any) -> str:
        return number(latest_actual(self.app.plan, objective.kpi))


SECTION = ObjectivesSection
