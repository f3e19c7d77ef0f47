"""Keys typed ahead of a dialog go to the dialog.

Textual hands each key to the widget focused when the key comes in. A KAM types on: Enter on a
row opens the editor, and the letters typed straight after it were handed to the table. They
came back to the app's bindings once the editor was up, and were lost (or, before the table
opened its editor at once, acted on the table: ``a`` added, ``d`` deleted). A key typed on one
screen that comes back to the app unhandled while another screen is shown is held here, with the
keys typed after it, until that screen is mounted and has its focus; then each is handed to it,
in the order typed, as if typed then. Keys typed while a section is being built (shown from a
dialog: ctrl+g then its digit) are held the same way until it has the focus: they went to the
field of the section it hides.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from textual import events

if TYPE_CHECKING:
    from textual.app import App
    from textual.await_complete import AwaitComplete
    from textual.screen import Screen

HOLD_AT_MOST = 0.5  # seconds: a screen still not focused by then gets the keys anyway
BUILD_AT_MOST = 5.0  # seconds: a section being built (a large table on a slow laptop) is waited for
POLL = 0.01
REMEMBERED = 64  # keys in flight are few; keys a widget used (a letter in a field) never come back


class Typeahead:
    """The keys in flight (typed on which screen) and the keys held for a screen being shown."""

    def __init__(self, app: App) -> None:
        self.app = app
        self._typed_on: dict[int, tuple[events.Key, Screen]] = {}
        self._held: list[events.Key] = []
        self._held_since = 0.0
        self._building: list[AwaitComplete] = []

    def wait_for(self, built: AwaitComplete) -> None:
        """Keys typed until ``built`` is done (a section being built and focused) wait for it."""
        if not built.is_done:
            self._building.append(built)

    def _is_building(self) -> bool:
        self._building = [built for built in self._building if not built.is_done]
        return bool(self._building)

    def hold(self, event: events.Key) -> bool:
        """Take note of a key coming in, or hold it: True when the app must not handle it now."""
        if not event.is_forwarded:  # typed
            if self._held or self._is_building():  # in order, behind the keys held
                self._keep(event)
                return True
            self._typed_on[id(event)] = (event, self.app.screen)
            if len(self._typed_on) > REMEMBERED:
                del self._typed_on[next(iter(self._typed_on))]
            return False
        typed = self._typed_on.pop(id(event), None)  # back from the widgets, unhandled
        if typed is None or typed[0] is not event or typed[1] is self.app.screen:
            return False
        self._keep(event)
        return True

    def _keep(self, event: events.Key) -> None:
        if not self._held:
            self._held_since = time.monotonic()
            self.app.set_timer(POLL, self._release)
        self._held.append(event)

    async def _release(self) -> None:
        waited = time.monotonic() - self._held_since
        if self._is_building() and waited < BUILD_AT_MOST:
            self.app.set_timer(POLL, self._release)
            return
        screen = self.app.screen
        if not (screen.is_mounted and screen.focused is not None) and waited < HOLD_AT_MOST:
            self.app.set_timer(POLL, self._release)
            return
        keys, self._held = self._held, []
        self._building.clear()
        for key in keys:  # each as typed now: the bindings, then the focused widget
            await self.app.on_event(events.Key(key.key, key.character))
