"""The key bar at the bottom of a screen: the keys that apply now, as one line of text.

Textual's Footer builds a widget per key and rebuilds them all whenever focus moves; this
bar is a single line redrawn from the screen's active bindings, which keeps start-up and
typing cheap. Greyed-out keys (an action that does not apply) are shown dim.
"""

from __future__ import annotations

from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from ..commands import grouped_keys, label
from ..i18n import t
from ..text import show, shown


class KeyBar(Static):
    DEFAULT_CSS = """
    KeyBar { dock: bottom; height: 1; background: $footer-background; color: $footer-foreground; }
    """

    _width = -1  # the width the bar was fitted to

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def on_resize(self) -> None:
        if self.size.width != self._width:  # (the first layout sends one at the width of on_mount)
            self._bindings_changed(self.screen)

    def _bindings_changed(self, screen: Screen) -> None:
        if not self.is_attached or screen is not self.screen:
            return
        active = screen.active_bindings  # built anew on each read (about 1 ms)
        entries = [entry for entry in active.values() if entry[1].show]
        essential = {label(entry[1]) for entry in entries if entry[1].id in ESSENTIAL}
        parts: list[tuple[Content, bool]] = []
        for keys, text, enabled in grouped_keys(screen, entries):
            # The bar is one line: the first key (F1 lists them all). Keys can come from the config.
            first = shown(keys.split(" / ")[0])
            part = Content.assemble(
                (f" {first} ", "bold $footer-key-foreground" if enabled else "dim"),
                (shown(text), "" if enabled else "dim"),
            )
            parts.append((part, text in essential))
        palette = [b for _, b, _, _ in active.values() if b.action == "command_palette"]
        keys = shown(next((self.app.get_key_display(b) for b in palette), "^p"))  # its first key (F1: all)
        parts.append((Content.assemble((f" {keys} ", "bold $footer-key-foreground"), t("cmd.palette")), True))
        self._width = width = self.size.width or self.app.size.width
        content = Content(" ").join(fit(parts, width))
        # Bindings are refreshed on every edit, and most refreshes change nothing here (a key greyed
        # out has the same text: show compares the styles too). Always one line: no layout needed.
        show(self, content, layout=False)


# Kept when the bar is too narrow for every key; the others go from the end (F1 lists them all).
ESSENTIAL = {
    "app.help",
    "app.save",
    "app.undo",
    "app.goto",
    "app.checklist",
    "app.palette",
    "editor.accept",
    "dialog.cancel",
}


def fit(parts: list[tuple[Content, bool]], width: int) -> list[Content]:
    """The parts that fit in ``width`` columns (one space between them): the last ones that are
    not essential are left out first, then the last essential ones."""
    kept = list(parts)

    def length() -> int:
        return sum(part.cell_length for part, _ in kept) + max(0, len(kept) - 1)

    for essential in (False, True):
        for index in range(len(kept) - 1, -1, -1):
            if length() <= width:
                break
            if kept[index][1] == essential and index != len(kept) - 1:  # the palette's key stays
                del kept[index]
    return [part for part, _ in kept]
