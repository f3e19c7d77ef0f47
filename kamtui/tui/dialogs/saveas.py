"""Save as: the path of the file to write the plan to (its folder may be full or read-only)."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label, Static

from ..commands import bindings
from ..i18n import t
from ..widgets.form import text_input
from .base import Dialog


def target_path(text: str, current: Path) -> Path | None:
    """The path typed (``~`` expanded, relative to the plan's folder, ``.toml`` added), or None."""
    text = text.strip()
    if not text:
        return None
    path = Path(text).expanduser()
    if not path.is_absolute():
        path = current.parent / path
    if path.suffix != ".toml":
        path = path.with_name(path.name + ".toml")
    return path


class SaveAsDialog(Dialog[Path | None]):
    """Returns the path to write to (confirmed when it exists), or None."""

    DEFAULT_CSS = "#saveas-error { color: $error; height: auto; }"
    BINDINGS = bindings("dialog.cancel", "editor.accept")

    def __init__(self, current: Path) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(Content(t("saveas.title")), classes="dialog-title")
            yield Label(t("saveas.label"))
            yield text_input(str(self.current), id="saveas-path")
            yield Static(Content(t("saveas.hint", name=self.current.name)), classes="dialog-hint")
            yield Static("", id="saveas-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("dialog.ok"), id="ok", variant="primary")
                yield Button(t("dialog.cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#saveas-path").focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def action_accept(self) -> None:
        path = target_path(self.query_one("#saveas-path", Input).value, self.current)
        if path is None:
            self.query_one("#saveas-error", Static).update(Content(t("saveas.need_path")))
            return
        if path.exists() and path.resolve() != self.current.resolve():
            from .choice import confirm

            def answer(choice: str | None) -> None:
                if choice == "yes":
                    self.dismiss(path)

            self.app.push_screen(confirm(t("saveas.exists_title"), t("saveas.exists_ask", path=str(path))), answer)
            return
        self.dismiss(path)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
