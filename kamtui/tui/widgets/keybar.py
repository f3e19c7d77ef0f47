"""The key bar at the bottom of a screen: the keys that apply now, as one line of text.

Textual's Footer builds a widget per key and rebuilds them all whenever focus moves; this
bar is a single line redrawn from the screen's active bindings, which keeps start-up and
typing cheap. Greyed-out keys (an action that does not apply) are shown dim.
"""

from __future__ import annotations

from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from ..commands import grouped_keys
from ..i18n import t
from ..text import shown


class KeyBar(Static):
    DEFAULT_CSS = """
    KeyBar { dock: bottom; height: 1; background: $footer-background; color: $footer-foreground; }
    """

    _shown: tuple[str, tuple[object, ...]] | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if not self.is_attached or screen is not self.screen:
            return
        parts: list[Content] = []
        active = screen.active_bindings  # built anew on each read (about 1 ms)
        entries = [entry for entry in active.values() if entry[1].show]
        for keys, text, enabled in grouped_keys(screen, entries):
            # The bar is one line: the first key (F1 lists them all). Keys can come from the config.
            first = shown(keys.split(" / ")[0])
            parts.append(
                Content.assemble(
                    (f" {first} ", "bold $footer-key-foreground" if enabled else "dim"),
                    (shown(text), "" if enabled else "dim"),
                )
            )
        palette = [b for _, b, _, _ in active.values() if b.action == "command_palette"]
        keys = shown(" ".join(dict.fromkeys(self.app.get_key_display(b) for b in palette))) or "^p"
        parts.append(Content.assemble((f" {keys} ", "bold $footer-key-foreground"), t("cmd.palette")))
        content = Content(" ").join(parts)
        # Bindings are refreshed on every edit, and most refreshes change nothing here. (Content's
        # == compares the text alone: a key greyed out has the same text.)
        key = (content.plain, tuple(content.spans))
        if key != self._shown:
            self._shown = key
            self.update(content, layout=False)  # always one line: no layout needed
