"""Objectives: SMART objectives and how far each one is toward its target."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult

from ..i18n import value_label
from ..widgets.cells import number
from ..widgets.itemtable import ItemTable
from .base import Section


def progress(objective: Any, actual: float | None) -> float | None:
    """Share of the way from baseline to target (0..1), or None when unknown."""
    if objective.target is None or actual is None:
        return None
    base = objective.baseline or 0.0
    span = objective.target - base
    if span == 0:
        return 1.0 if actual == objective.target else 0.0
    return max(0.0, min(1.0, (actual - base) / span))


def bar(share: float | None, width: int = 12) -> Text:
    if share is None:
        return Text("—", style="dim")
    filled = round(share * width)
    style = "green" if share >= 1 else "yellow" if share >= 0.5 else "red"
    return Text("█" * filled + "░" * (width - filled) + f" {share * 100:3.0f} %", style=style)


def latest_actual(plan: Any, kpi_id: str) -> float | None:
    measures = sorted((m for m in plan.measures if m.kpi == kpi_id and m.actual is not None),
                      key=lambda m: m.period)
    return measures[-1].actual if measures else None


class ObjectivesSection(Section):
    def compose(self) -> ComposeResult:
        yield self.heading("section.objectives")
        yield ItemTable("objectives", [
            ("field.title", lambda o: o.title),
            ("field.kpi", lambda o: self.kpi_name(o.kpi)),
            ("field.baseline", lambda o: number(o.baseline)),
            ("field.target", lambda o: number(o.target)),
            ("objectives.actual", lambda o: self.actual_text(o)),
            ("objectives.progress", lambda o: bar(progress(o, latest_actual(self.app.plan, o.kpi)))),
            ("field.deadline", lambda o: o.deadline.isoformat() if o.deadline else ""),
            ("field.status", lambda o: value_label(o.status)),
        ], row_style=lambda o: "dim" if o.status == "dropped" else "", id="objectives-table")

    def kpi_name(self, kpi_id: str) -> str:
        kpi = self.app.plan.find("kpis", kpi_id) if kpi_id else None
        return kpi.name if kpi else kpi_id

    def actual_text(self, objective: Any) -> str:
        return number(latest_actual(self.app.plan, objective.kpi))


SECTION = ObjectivesSection
