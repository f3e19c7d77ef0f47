"""Performance: the account scorecard, target against actual per period, with the trend."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult

from ...model.rules import display_name, kpi_trend, measure_index, on_target, target_gap
from ..i18n import value_label
from ..widgets.cells import number
from ..widgets.itemtable import ItemTable
from .base import Section

SPARKS = "▁▂▃▄▅▆▇█"
ARROWS = {"up": "↗", "down": "↘", "flat": "→"}


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
            depends=("measures",),
            id="kpis-table",
        )
        yield self.heading("heading.measures")
        yield ItemTable(
            "measures",
            [
                ("field.kpi", lambda m: display_name(self.session.plan, "kpis", m.kpi)),
                ("field.period", lambda m: m.period),
                ("field.target", lambda m: number(m.target)),
                ("field.actual", lambda m: number(m.actual)),
                ("performance.gap", self.gap),
            ],
            defaults=self.measure_defaults,
            place=lambda values: measure_index(self.session.plan, values.get("kpi", ""), values.get("period", "")),
            depends=("kpis",),
            id="measures-table",
        )

    def measure_defaults(self) -> dict[str, Any]:
        kpis = self.session.plan.kpis
        return {"kpi": kpis[0].id} if kpis else {}

    def gap(self, m: Any) -> Text:
        kpi = self.session.plan.find("kpis", m.kpi)
        good = on_target(m, kpi.better if kpi is not None else "higher")
        difference = target_gap(m)
        if good is None or difference is None:
            return Text("")
        return Text(f"{'✓' if good else '✗'} {difference:+g}", style="green" if good else "red")

    def trend(self, kpi: Any) -> Text:
        trend = kpi_trend(self.session.plan, kpi)
        if trend.direction is None:
            return Text("—")
        low, high = min(trend.values), max(trend.values)
        spark = "".join(SPARKS[int((v - low) / (high - low or 1) * (len(SPARKS) - 1))] for v in trend.values[-8:])
        style = "green" if trend.improving else "red" if trend.direction != "flat" else ""
        return Text(f"{spark} {ARROWS[trend.direction]}", style=style)


SECTION = PerformanceSection
