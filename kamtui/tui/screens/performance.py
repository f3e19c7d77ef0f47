"""Performance: the account scorecard, target against actual per period, with the trend."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult

from ..i18n import value_label
from ..widgets.cells import number
from ..widgets.itemtable import ItemTable
from .base import Section


class PerformanceSection(Section):
    def compose(self) -> ComposeResult:
        yield self.heading("section.performance")
        yield ItemTable(
            "kpis",
            [
                ("field.name", lambda k: k.name),
                ("field.unit", lambda k: k.unit),
                ("field.better", lambda k: value_label(k.better)),
                ("field.perspective", lambda k: value_label(k.perspective)),
                ("performance.trend", self.trend),
            ],
            id="kpis-table",
        )
        yield self.heading("heading.measures")
        yield ItemTable(
            "measures",
            [
                ("field.kpi", lambda m: self.kpi_name(m.kpi)),
                ("field.period", lambda m: m.period),
                ("field.target", lambda m: number(m.target)),
                ("field.actual", lambda m: number(m.actual)),
                ("performance.gap", self.gap),
            ],
            defaults=self.measure_defaults,
            id="measures-table",
        )

    def measure_defaults(self) -> dict[str, Any]:
        kpis = self.app.plan.kpis
        return {"kpi": kpis[0].id} if kpis else {}

    def kpi_name(self, kpi_id: str) -> str:
        kpi = self.app.plan.find("kpis", kpi_id)
        return kpi.name if kpi else kpi_id

    def gap(self, m: Any) -> Text:
        if m.target is None or m.actual is None:
            return Text("")
        kpi = self.app.plan.find("kpis", m.kpi)
        good = (m.actual >= m.target) if (kpi is None or kpi.better == "higher") else (m.actual <= m.target)
        return Text(f"{'✓' if good else '✗'} {m.actual - m.target:+g}", style="green" if good else "red")

    def trend(self, kpi: Any) -> str:
        actuals = [
            m.actual
            for m in sorted(self.app.plan.measures, key=lambda m: m.period)
            if m.kpi == kpi.id and m.actual is not None
        ]
        if len(actuals) < 2:
            return "—"
        bars = "▁▂▃▄▅▆▇█"
        low, high = min(actuals), max(actuals)
        spark = "".join(bars[int((a - low) / (high - low or 1) * (len(bars) - 1))] for a in actuals[-8:])
        arrow = "↗" if actuals[-1] > actuals[-2] else "↘" if actuals[-1] < actuals[-2] else "→"
        return f"{spark} {arrow}"


SECTION = PerformanceSection
