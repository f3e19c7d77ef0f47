"""Market & client: the client's strategy and priorities, and the SWOT."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult

from ..widgets.form import FieldForm
from .base import Section


class MarketSection(Section):
    def compose(self) -> ComposeResult:
        yield self.heading("section.market")
        yield FieldForm(
            self.app.plan.account, ["strategy", "current_priorities"], id="client-form", classes="inline-form"
        )
        yield self.heading("heading.swot")
        yield FieldForm(self.app.plan.swot, id="swot-form", classes="inline-form swot")

    def form_target(self, form: FieldForm) -> Any:
        return self.app.plan.swot if form.id == "swot-form" else self.app.plan.account


SECTION = MarketSection
