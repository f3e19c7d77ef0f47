"""Market & client: the client's strategy and priorities, and the SWOT."""

from __future__ import annotations

from textual.app import ComposeResult

from ..widgets.form import FieldForm
from .base import Section


class MarketSection(Section):
    def compose(self) -> ComposeResult:
        yield self.heading("section.market")
        yield FieldForm(
            lambda: self.plan_part("account"),
            ["strategy", "current_priorities"],
            part="account",
            id="client-form",
            classes="inline-form",
        )
        yield self.heading("heading.swot")
        yield FieldForm(lambda: self.plan_part("swot"), part="swot", id="swot-form", classes="inline-form swot")


SECTION = MarketSection
