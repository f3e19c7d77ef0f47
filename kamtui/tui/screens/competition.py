"""Competition: who else sells to the client, how they move, how they approach it."""

from __future__ import annotations

from textual.app import ComposeResult

from ..i18n import value_label
from ..widgets.cells import number
from ..widgets.itemtable import ItemTable
from .base import Section


class CompetitionSection(Section):
    def compose(self) -> ComposeResult:
        yield self.heading("section.competition")
        yield ItemTable(
            "competitors",
            [
                ("field.name", lambda c: c.name),
                ("field.trend", lambda c: value_label(c.trend)),
                ("field.impact", lambda c: value_label(c.impact)),
                ("field.wallet_share", lambda c: number(c.wallet_share, " %")),
                ("field.approach", lambda c: c.approach),
            ],
            row_style=lambda c: "bold" if c.impact == "high" else "",
            id="competitors-table",
        )


SECTION = CompetitionSection
