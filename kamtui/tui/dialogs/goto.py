"""Go to a section: ctrl+g then the section's digit (works in every terminal)."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from ..access import app_of
from ..commands import SECTIONS, bindings
from ..i18n import t
from .base import Dialog


class GotoDialog(Dialog[str | None]):
    BINDINGS = bindings("dialog.dismiss")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(t("goto.title")), classes="dialog-title")
            keys: dict[str, list[str]] = {}
            for _node, binding, _enabled, _tooltip in self.active_bindings.values():
                if binding.id and binding.id.startswith("go."):
                    keys.setdefault(binding.id, []).append(self.app.get_key_display(binding))
            lines = [
                f"  {n}  {t('section.' + name)}   ({' / '.join(keys.get('go.' + name, [key.upper()]))})"
                for n, (name, key) in enumerate(SECTIONS, 1)
            ]
            lines.append(f"  0  {t('cmd.home')}")
            yield Static(Content("\n".join(lines)))

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character.isdigit():
            event.stop()
            n = int(event.character)
            if n == 0:
                self.dismiss(None)
                app_of(self).action_home()
            elif n <= len(SECTIONS):
                self.dismiss(SECTIONS[n - 1][0])

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
