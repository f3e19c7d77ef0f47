"""Competition: who else sells to the client, how they move, how they approach it."""

from __future__ import annotations

from textual.app import ComposeResult

from ..i18n import value_label
from ..widgets.cells import number
from ..widgets.columns import Col, Importance
from ..widgets.detail import TableView
from ..widgets.itemtable import ItemTable
from .base import Section

# Columns by importance. Must-see at every width: who, how they move, how much they hurt us,
# their share of the client's wallet; then their approach.
IMPORTANCE = Importance(must=("name", "trend", "impact", "wallet_share"), then=("approach",))


class CompetitionSection(Section):
    def compose(self) -> ComposeResult:
        yield self.heading("section.competition")
        yield TableView(
            ItemTable(
                "competitors",
                [
                    Col("name", "field.name", lambda c: c.name, width=24, least=14, main=True),
                    Col("trend", "field.trend", lambda c: value_label(c.trend), width=12, least=7),
                    Col("impact", "field.impact", lambda c: value_label(c.impact), 8, 6, short="column.impact"),
                    Col(
                        "wallet_share",
                        "field.wallet_share",
                        lambda c: number(c.wallet_share, " %"),
                        12,
                        6,
                        short="column.wallet_share",
                    ),
                    Col("approach", "field.approach", lambda c: c.approach, 40, 12, short="column.approach"),
                ],
                IMPORTANCE,
                row_style=lambda c: "bold" if c.impact == "high" else "",
                required=("name",),
                id="competitors-table",
            )
        )


SECTION = CompetitionSection
