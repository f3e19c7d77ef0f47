"""The garbage collector, when kamtui.tui.run made the process ours (``KamApp(manage_gc=True)``).

A full collection walks every live object that is not frozen: Textual's widgets and their
render caches (each cached line of a widget holds seven small caches of its own), the undo
history of every text area, and the plan while it is being saved. While typing in a
1,000-action plan that took 20-40 ms, a few times a minute, and the key typed then waited.

So:

* start-up runs with the collector off; it comes back one second after mount, with what was
  imported frozen out of its walks (:meth:`Collector.resume`);
* what lives as long as the open plan (its objects, and the tomlkit document its first save
  builds) is frozen once built, and unfrozen when the plan is closed (:meth:`freeze`,
  :meth:`unfreeze`);
* Python's own full collections are made rare (after ``FULL_EVERY`` collections of the middle
  generation instead of 10), and kamtui runs them itself when no key has come for
  ``IDLE_SECONDS``: while one stops to think, not in the middle of a word (:meth:`tick`).
  The young generations are collected as usual: they are small and quick.
"""

from __future__ import annotations

import gc
import time

from .textual_private import drop_render_caches

IDLE_SECONDS = 1.0  # no key for this long: a full collection may run
FULL_EVERY = 100  # middle-generation collections before Python runs a full one by itself
PENDING = 3  # middle-generation collections since the last full one, for an idle one to be worth it


class Collector:
    def __init__(self, managed: bool) -> None:
        self.managed = managed
        self.last_key_at = 0.0
        self.idle_runs = 0  # full collections run while idle (for tests and benchmarks)

    def resume(self) -> None:
        """Start-up is over: the collector comes back, what was imported frozen out of it."""
        if self.managed:
            gc.freeze()
            young, middle, _ = gc.get_threshold()
            gc.set_threshold(young, middle, FULL_EVERY)
            gc.enable()

    def freeze(self) -> None:
        """What exists now lives as long as the open plan: leave it out of the collector's walks."""
        if self.managed:
            gc.freeze()

    def unfreeze(self) -> None:
        """The plan was closed: its objects (frozen while it was open) can be collected now."""
        if self.managed:
            gc.unfreeze()

    def key(self) -> None:
        self.last_key_at = time.monotonic()

    def tick(self) -> None:
        """Called a few times a second: a full collection, when one is worth it and no key came
        for a while."""
        if not self.managed or not gc.isenabled():
            return
        if gc.get_count()[2] < PENDING or time.monotonic() - self.last_key_at < IDLE_SECONDS:
            return
        drop_render_caches()  # gone widgets' cached lines go with this collection
        gc.collect()
        self.idle_runs += 1
