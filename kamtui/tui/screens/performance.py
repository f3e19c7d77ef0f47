"""Performance: the account scorecard, target against actual per period, with the trend."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult

from ...model.plan import Kpi
from ...model.rules import display_name, kpi_measures, kpi_trend, latest_actual, measure_index, on_target, target_gap
from ..i18n import value_label
from ..widgets.cells import number
from ..widgets.columns import Col, Importance
from ..widgets.detail import TableView
from ..widgets.itemtable import ItemTable
from .base import Section

SPARKS = "▁▂▃▄▅▆▇█"
ARROWS = {"up": "↗", "down": "↘", "flat": "→"}


# KPI columns by importance. Must-see at every width: the KPI, its latest actual, its target, its
# trend; then its unit, which way is better, its perspective. (Measures: every column.)
KPI_IMPORTANCE = Importance(must=("name", "latest", "target", "trend"), then=("unit", "better", "perspective"))


class PerformanceSection(Section):
    def compose(self) -> ComposeResult:
        yield self.heading("section.performance")
        yield TableView(
            ItemTable(
                "kpis",
                [
                    Col("name", "field.name", lambda k: k.name, width=30, least=14, main=True),
                    Col("unit", "field.unit", lambda k: k.unit, width=10),
                    Col("latest", "performance.latest", self.latest, width=10, least=6, short="column.latest"),
                    Col("target", "field.target", self.target, width=10, least=6),
                    Col("better", "field.better", lambda k: value_label(k.better), width=10, short="column.better"),
                    Col("perspective", "field.perspective", lambda k: value_label(k.perspective), width=12),
                    Col("trend", "performance.trend", self.trend, width=10, least=10),
                ],
                KPI_IMPORTANCE,
                depends=("measures",),
                required=("name",),
                id="kpis-table",
            )
        )
        yield self.heading("heading.measures")
        yield TableView(
            ItemTable(
                "measures",
                [
                    Col(
                        "kpi",
                        "field.kpi",
                        lambda m: display_name(self.session.plan, "kpis", m.kpi),
                        width=30,
                        least=14,
                        main=True,
                    ),
                    Col("period", "field.period", lambda m: m.period, width=8, least=7),
                    Col("target", "field.target", lambda m: number(m.target), width=10, least=6),
                    Col("actual", "field.actual", lambda m: number(m.actual), width=10, least=6),
                    Col("gap", "performance.gap", self.gap, width=10, least=6, short="column.gap"),
                ],
                defaults=self.measure_defaults,
                place=lambda values: measure_index(self.session.plan, values.get("kpi", ""), values.get("period", "")),
                depends=("kpis",),
                id="measures-table",
            )
        )

    def latest(self, kpi: Kpi) -> str:
        return number(latest_actual(self.session.plan, kpi.id))

    def target(self, kpi: Kpi) -> str:
        """The target of the latest period that has one."""
        targets = [m.target for m in kpi_measures(self.session.plan, kpi.id) if m.target is not None]
        return number(targets[-1]) if targets else ""

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
