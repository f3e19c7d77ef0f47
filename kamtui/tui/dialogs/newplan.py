"""New plan: account name, period and language."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label, Select, Static

from ...model import clock
from ..commands import bindings
from ..i18n import lang, t
from .base import Dialog


class NewPlanDialog(Dialog[tuple[str, int, str] | None]):
    DEFAULT_CSS = "#newplan-error { color: $error; }"
    BINDINGS = bindings("dialog.cancel", "editor.accept")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(t("newplan.title")), classes="dialog-title")
            yield Label(t("newplan.name"))
            yield Input(id="name", placeholder="Distrib SA")
            yield Label(t("newplan.period"))
            yield Input(str(clock.today().year + 1), id="period")
            yield Label(t("newplan.lang"))
            yield Select([("Français", "fr"), ("English", "en")], value=lang(), allow_blank=False, id="lang")
            yield Static("", id="newplan-error")
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
        error = self.query_one("#newplan-error", Static)
        if not name:
            error.update(t("newplan.need_name"))
            return
        if not (period.isdigit() and 1900 <= int(period) <= 9999):
            error.update(t("form.error.year"))
            return
        self.dismiss((name, int(period), str(self.query_one("#lang", Select).value)))

    def action_accept(self) -> None:
        """ctrl+s, as in every dialog that takes input."""
        self.accept()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
