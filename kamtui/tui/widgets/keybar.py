"""The key bar at the bottom of a screen: the keys that apply now, as one line of text.

Textual's Footer builds a widget per key and rebuilds them all whenever focus moves; this
bar is a single line redrawn from the screen's active bindings, which keeps start-up and
typing cheap. Greyed-out keys (an action that does not apply) are shown dim.
"""

from __future__ import annotations

from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from ..i18n import t


class KeyBar(Static):
    DEFAULT_CSS = """
    KeyBar { dock: bottom; height: 1; background: $footer-background; color: $footer-foreground; }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if not self.is_attached or screen is not self.screen:
            return
        seen: set[str] = set()
        parts: list[Content] = []
        for _, binding, enabled, _tooltip in screen.active_bindings.values():
            if not binding.show or not binding.description or binding.action in seen:
                continue
            seen.add(binding.action)
            key = self.app.get_key_display(binding)
            parts.append(
                Content.assemble(
                    (f" {key} ", "bold $footer-key-foreground" if enabled else "dim"),
                    (binding.description, "" if enabled else "dim"),
                )
            )
        parts.append(Content.assemble((" ^p F12 ", "bold $footer-key-foreground"), t("cmd.palette")))
        self.update(Content(" ").join(parts), layout=False)  # always one line: no layout needed
