"""New plan: account name, period (a year, or a first and last month) and language."""

from __future__ import annotations

import datetime as dt

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Input, Label, Select, Static

from ...model import clock
from ...model.periods import PlanPeriodError, plan_period
from ..commands import bindings
from ..i18n import lang, t
from ..text import shown
from .base import Dialog

Period = tuple[dt.date, dt.date]

# Why a typed period was refused (PlanPeriodError.kind) -> what the dialog says.
BAD_PERIOD = {"expected": "newplan.bad_expected", "order": "newplan.bad_order", "long": "newplan.bad_long"}


class NewPlanDialog(Dialog[tuple[str, Period, str] | None]):
    """Answers (account name, (first day, last day), language). The period is read as
    ``kamtui new --period`` reads it: "2027", or "2026-07..2027-06"."""

    # The form is the dialog's body: it scrolls when the terminal is short (24 lines), OK / Cancel
    # stay in view (Dialog._fit_body).
    DEFAULT_CSS = """
    #newplan-error { color: $error; height: auto; display: none; }
    #newplan-error.said { display: block; }
    """
    BINDINGS = bindings("dialog.cancel", "editor.accept")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(t("newplan.title")), classes="dialog-title")
            yield Static("", id="newplan-error")  # above the form: in view however short the screen
            with VerticalScroll(id="newplan-form", classes="dialog-body"):
                yield Label(Content(t("newplan.name")))
                yield Input(id="name", placeholder="Distrib SA")
                yield Label(Content(t("newplan.period")))
                yield Input(str(clock.today().year + 1), id="period", placeholder="2027 / 2026-07..2027-06")
                yield Label(Content(t("newplan.lang")))
                yield Select([("Français", "fr"), ("English", "en")], value=lang(), allow_blank=False, id="lang")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("dialog.ok"), id="ok", variant="primary")
                yield Button(t("dialog.cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#name").focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def accept(self) -> None:
        name = self.query_one("#name", Input).value.strip()
        period = self.query_one("#period", Input).value.strip()
        if not name:
            self._refuse("#name", t("newplan.need_name"))
            return
        try:
            first_last = plan_period(period)
        except PlanPeriodError as exc:
            self._refuse("#period", t(BAD_PERIOD.get(exc.kind, "newplan.bad_expected"), period=shown(period)))
            return
        self.dismiss((name, first_last, str(self.query_one("#lang", Select).value)))

    def _refuse(self, field: str, why: str) -> None:
        """Say why (above the form) and put the cursor back in ``field``, its text selected."""
        error = self.query_one("#newplan-error", Static)
        error.update(Content(why))
        error.add_class("said")
        box = self.query_one(field, Input)
        box.focus()
        box.select_all()  # typed again, it is replaced

    def action_accept(self) -> None:
        """ctrl+s, as in every dialog that takes input."""
        self.accept()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
