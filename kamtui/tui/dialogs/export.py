"""Export: the plan or the visit brief, as Markdown or HTML, for us or for the client, to a file
next to the plan (or where the user says)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import NamedTuple

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label, Select, Static

from ...model import clock
from ..commands import bindings
from ..i18n import t
from .base import Dialog
from .prompt import parse_day


class ExportRequest(NamedTuple):
    kind: str  # "plan" or "brief"
    fmt: str  # "md" or "html"
    audience: str  # "internal" or "client"
    visit: dt.date
    path: Path


def default_path(plan_path: Path, kind: str, fmt: str, audience: str, visit: dt.date) -> Path:
    """Next to the plan: distrib-sa-2027.md, distrib-sa-2027-brief-2026-12-15.html, …-client.md."""
    name = plan_path.stem
    if kind == "brief":
        name += f"-brief-{visit.isoformat()}"
    if audience == "client":
        name += "-client"
    return plan_path.with_name(f"{name}.{fmt}")


def export_target(text: str, plan_path: Path) -> Path | None:
    """The path typed (``~`` expanded, relative to the plan's folder), or None when blank."""
    text = text.strip()
    if not text:
        return None
    path = Path(text).expanduser()
    return path if path.is_absolute() else plan_path.parent / path


class ExportDialog(Dialog[ExportRequest | None]):
    """Returns what to write where, or None. The path follows the choices until the user types one."""

    DEFAULT_CSS = """
    #export-error { color: $error; height: auto; }
    ExportDialog .dialog { max-width: 100%; padding: 0 1; }
    ExportDialog Input, ExportDialog Input:focus { border: none; height: 1; padding: 0 1; margin: 0 0 1 0; }
    ExportDialog Input:focus { background: $boost; }
    ExportDialog Horizontal.export-choices { height: auto; }
    ExportDialog Horizontal.export-choices Select { width: 1fr; }
    """
    BINDINGS = bindings("dialog.cancel", "editor.accept")

    def __init__(self, plan_path: Path, kind: str = "plan", visit: dt.date | None = None) -> None:
        super().__init__()
        self.plan_path = plan_path
        self.kind = kind
        self.visit = visit or clock.today()
        self._default = default_path(plan_path, kind, "md", "internal", self.visit)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(Content(t("export.title")), classes="dialog-title")
            with Horizontal(classes="export-choices"):
                yield Select(
                    [(t("export.plan"), "plan"), (t("export.brief"), "brief")],
                    value=self.kind,
                    allow_blank=False,
                    id="export-kind",
                )
                yield Select([("Markdown", "md"), ("HTML", "html")], value="md", allow_blank=False, id="export-format")
                yield Select(
                    [(t("export.internal"), "internal"), (t("export.client"), "client")],
                    value="internal",
                    allow_blank=False,
                    id="export-audience",
                )
            yield Label(t("export.visit"))
            yield Input(self.visit.isoformat(), id="export-visit")
            yield Label(t("export.path"))
            yield Input(str(self._default), id="export-path")
            yield Static(Content(t("export.hint")), classes="dialog-hint")
            yield Static("", id="export-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("export.write"), id="ok", variant="primary")
                yield Button(t("dialog.cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    def _choices(self) -> tuple[str, str, str]:
        return (
            str(self.query_one("#export-kind", Select).value),
            str(self.query_one("#export-format", Select).value),
            str(self.query_one("#export-audience", Select).value),
        )

    @on(Select.Changed)
    @on(Input.Changed, "#export-visit")
    def _follow(self) -> None:
        """The path follows the choices, unless the user typed one of their own."""
        kind, fmt, audience = self._choices()
        self.query_one("#export-visit", Input).disabled = kind != "brief"
        visit = parse_day(self.query_one("#export-visit", Input).value) or self.visit
        path = self.query_one("#export-path", Input)
        if path.value == str(self._default):
            self._default = default_path(self.plan_path, kind, fmt, audience, visit)
            path.value = str(self._default)

    def _error(self, key: str, **values: object) -> None:
        self.query_one("#export-error", Static).update(Content(t(key, **values)))

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def action_accept(self) -> None:
        kind, fmt, audience = self._choices()
        visit = parse_day(self.query_one("#export-visit", Input).value)
        if visit is None:
            self._error("prompt.invalid", text=self.query_one("#export-visit", Input).value)
            return
        path = export_target(self.query_one("#export-path", Input).value, self.plan_path)
        if path is None:
            self._error("saveas.need_path")
            return
        if path.resolve() == self.plan_path.resolve() or path.suffix.lower() == ".toml":
            self._error("export.not_the_plan")
            return
        if not path.parent.is_dir():
            self._error("export.no_folder", folder=str(path.parent))
            return
        request = ExportRequest(kind, fmt, audience, visit, path)
        if path.exists():
            from .choice import confirm

            def answer(choice: str | None) -> None:
                if choice == "yes":
                    self.dismiss(request)

            self.app.push_screen(confirm(t("export.exists_title"), t("export.exists_ask", path=str(path))), answer)
            return
        self.dismiss(request)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
