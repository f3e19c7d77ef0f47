"""Go to a section: ctrl+g then the section's digit (works in every terminal)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from ..commands import SECTIONS
from ..i18n import t
from .base import Dialog


class GotoDialog(Dialog[str | None]):
    BINDINGS = [Binding("escape", "dismiss_none", show=False)]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(t("goto.title")), classes="dialog-title")
            lines = [f"  {n}  {t('section.' + name)}   ({key.upper()})" for n, (name, key) in enumerate(SECTIONS, 1)]
            lines.append(f"  0  {t('cmd.home')}")
            yield Static(Content("\n".join(lines)))

    def on_key(self, event) -> None:
        if event.character and event.character.isdigit():
            event.stop()
            n = int(event.character)
            if n == 0:
                self.dismiss(None)
                self.app.action_home()
            elif n <= len(SECTIONS):
                self.dismiss(SECTIONS[n - 1][0])

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
