"""One measured typing session, run in a fresh interpreter by bench/typing_.py.

    python bench/_typing_runner.py bare
    python bench/_typing_runner.py kamtui PLAN.toml [--chars 300] [--input-chars 30]
        [--typist-chars 100] [--typist-interval 0.08] [--autosave 2.0] [--burst 150]

Runs the app headless with Textual's Pilot (App.run_test, 120x40) and prints one
JSON line.

bare: a Textual App whose only content is one Label; reports its RSS once it is
on screen.

kamtui: the real KamApp, built as tests/tui_helpers.py make_app does (but with the
default disk watch) and with the garbage collector handled as kamtui.tui.run
does. The plan opens on the Review; F3 goes to the Diagnostic, where the answer
TextArea gets the focus, and the cursor goes to the end of the answer. Then:

1. pilot: --chars characters are typed, one ``pilot.press(char)`` each; the next
   key is sent once the frame that shows the previous one is out and Pilot's
   own waits are over (about 10 keys a second).
2. input: F2, and --input-chars characters are typed the same way at the end of
   the Account section's first Input (the account name).
3. typist: F3 again, and --typist-chars characters are sent from a thread, one
   every --typist-interval seconds whatever the app is doing, the way a
   terminal driver's input thread sends keys (Driver.process_message).

In 1 and 2 a key's time runs from just before ``pilot.press`` to the first frame
(App._display with a renderable) rendered once the field holds the key: the app
handles one message at a time, so that frame shows it. That frame's text, in
the field's region, is then checked for the last 20 non-blank characters typed
("hidden" when they are not there: the field did not scroll to them). In 3 it
runs from the moment the thread sends the key to the first frame rendered once
the field holds it. A frame's time is taken once it has been turned into
terminal output (CompositorUpdate.render_segments, which a terminal driver does
and headless Textual skips), before anything is read to check it.

With autosave on, every --burst keys (and at the start of a phase) while an
autosave is pending, typing stops until that autosave has just started, then
goes on while it runs, as when one stops to think. Saves (PlanFile.save, in its
worker thread), the autosave snapshots and recovery writes done on the UI
thread, and full garbage collections are timed too, to tell what the slow keys
overlapped; kamtui's code is wrapped at run time, not changed.

RSS (VmRSS) and its peak (VmHWM) are read from /proc/self/status after the plan
is open, after the Diagnostic is built, after typing and after the last save.
"""

from __future__ import annotations

import time

T_RUNNER = time.perf_counter_ns()

import argparse  # noqa: E402
import asyncio  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
from pathlib import Path  # noqa: E402

SIZE = (120, 40)
TIMEOUT = 5.0  # seconds to wait for anything (a frame, a focus, a save)
TAIL = 20  # non-blank characters of the typed text that the frame must show
SETTLE = 1.3  # seconds after opening before typing: kamtui's start-up timers (GC, parse cache) are done
HELLO = "Hello from a bare Textual app"
BLANK = re.compile(r"\s+")

# Repeated to the number of characters asked for: words, spaces, commas, full stops, capitals.
TEXT = (
    "Le client confirme la hausse des volumes en 2027, sous reserve des tests en magasin. "
    "Next step: agree the joint plan with the buyer and check the promotion calendar. "
)

EVENTS: list[tuple[str, int, int]] = []  # (what, start, end) in perf_counter_ns, from any thread


def status_mb() -> dict[str, float]:
    """VmRSS and VmHWM (its peak) of this process, in MB (10^6 bytes)."""
    values = {}
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0]) * 1024 / 1e6  # the kernel's "kB" are KiB
    return {"rss": values["VmRSS"], "hwm": values["VmHWM"]}


def timed(what: str, fn):
    def wrapper(*args, **kwargs):
        t0 = time.perf_counter_ns()
        try:
            return fn(*args, **kwargs)
        finally:
            EVENTS.append((what, t0, time.perf_counter_ns()))

    return wrapper


def _gc_callback(phase: str, info: dict) -> None:
    if info["generation"] == 2:
        if phase == "start":
            _gc_callback.start = time.perf_counter_ns()  # type: ignore[attr-defined]
        else:
            EVENTS.append(("gc", _gc_callback.start, time.perf_counter_ns()))  # type: ignore[attr-defined]


def value_of(widget) -> str:
    return widget.text if hasattr(widget, "document") else widget.value  # TextArea, Input


def region_text(screen, widget) -> str:
    """The field's content region as the screen shows it now, without blanks."""
    region = widget.content_region
    strips = screen._compositor.render_strips()
    return BLANK.sub("", "".join(strip.crop(region.x, region.right).text for strip in strips[region.y : region.bottom]))


class Probe:
    """What the frame hook watches: the field being typed into, and the text it should hold."""

    def __init__(self) -> None:
        self.widget = None
        self.mode = ""  # "pilot": wait for one key; "typist": note every frame
        self.typed = ""  # pilot: the field's text once the key is in
        self.first: int | None = None  # pilot: first frame after the key was sent
        self.shown: int | None = None  # pilot: first frame rendered with the key in the field
        self.hidden = False  # pilot: that frame does not show the typed text in the field's region
        self.frames: list[tuple[int, int]] = []  # typist: (time, length of the field's text)
        self.event: asyncio.Event | None = None

    def arm(self, widget, typed: str) -> None:
        self.widget, self.mode, self.typed = widget, "pilot", typed
        self.first = self.shown = None
        self.hidden = False
        self.event = asyncio.Event()

    def watch(self, widget) -> None:
        self.widget, self.mode = widget, "typist"
        self.frames = []

    def disarm(self) -> None:
        self.widget, self.mode = None, ""


PROBE = Probe()


class FrameHook:
    """Mixin for an App: times the frames Textual sends to the display (headless ones too)."""

    def _display(self, screen, renderable):
        result = super()._display(screen, renderable)
        if renderable is None or self._batch_count or PROBE.widget is None:
            return result
        if PROBE.mode == "pilot" and PROBE.shown is not None:
            return result
        render = getattr(renderable, "render_segments", None)
        if render is not None:
            render(self.console)  # what a terminal driver does with the frame (headless skips it)
        now = time.perf_counter_ns()
        if screen is not self.screen:
            return result
        if PROBE.mode == "typist":
            PROBE.frames.append((now, len(value_of(PROBE.widget))))
            return result
        if PROBE.first is None:
            PROBE.first = now
        # The app handles one message at a time: if the field holds the key now, this frame was
        # rendered after the key was handled, and shows it.
        if value_of(PROBE.widget) == PROBE.typed:
            PROBE.shown = now
            PROBE.hidden = BLANK.sub("", PROBE.typed)[-TAIL:] not in region_text(screen, PROBE.widget)
            PROBE.event.set()
        return result


async def wait_until(pilot, condition, what: str, timeout: float = TIMEOUT):
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        await pilot.pause(0.01)


def sample(text: str, n: int) -> str:
    return (text * (n // len(text) + 1))[:n]


LAST_KEY = [0.0]  # time.perf_counter() of the last key sent


def pause_until(i: int, app, opts) -> float:
    """Every --burst keys, while an autosave is pending: until that autosave has just started."""
    if opts.autosave > 0 and opts.burst > 0 and i % opts.burst == 0 and app.dirty:
        return LAST_KEY[0] + opts.autosave + 0.05
    return 0.0


async def type_with_pilot(pilot, widget, text: str, opts) -> list[dict]:
    """Type ``text`` at the end of ``widget``, one pilot.press per character; one record per key."""
    keys = []
    typed = value_of(widget)
    for i, char in enumerate(text):
        await asyncio.sleep(max(0.0, pause_until(i, pilot.app, opts) - time.perf_counter()))
        typed += char
        PROBE.arm(widget, typed)
        LAST_KEY[0] = time.perf_counter()
        t0 = time.perf_counter_ns()
        await pilot.press(char)
        try:
            await asyncio.wait_for(PROBE.event.wait(), TIMEOUT)
        except TimeoutError:
            raise SystemExit(f"key {i} ({char!r}): no frame showed it within {TIMEOUT} s") from None
        PROBE.disarm()
        keys.append({"t0": t0, "t1": PROBE.shown, "first": PROBE.first, "hidden": PROBE.hidden})
    if value_of(widget) != typed:
        raise SystemExit(f"the field {widget.id} does not hold what was typed")
    return keys


async def type_as_terminal(pilot, widget, text: str, opts) -> list[dict]:
    """Send ``text`` from a thread at a steady pace, as a terminal's input thread would."""
    from textual import events
    from textual.keys import _character_to_key

    app = pilot.app
    driver = app._driver
    base = value_of(widget)
    sent: list[int] = []

    def typist() -> None:
        due = time.perf_counter()
        for i, char in enumerate(text):
            due = max(due, pause_until(i, app, opts))
            time.sleep(max(0.0, due - time.perf_counter()))
            key = char if char.isalnum() else _character_to_key(char)
            LAST_KEY[0] = time.perf_counter()
            sent.append(time.perf_counter_ns())
            driver.process_message(events.Key(key, char))  # what the Linux driver's input thread calls
            due += opts.typist_interval

    PROBE.watch(widget)
    thread = threading.Thread(target=typist, name="typist", daemon=True)
    thread.start()
    total = len(base) + len(text)
    pauses = len(range(0, len(text), opts.burst)) if opts.autosave > 0 and opts.burst > 0 else 0
    await wait_until(
        pilot,
        lambda: not thread.is_alive() and any(n >= total for _, n in PROBE.frames),
        "the last typed key on screen",
        timeout=len(text) * opts.typist_interval + pauses * (opts.autosave + 0.05) + TIMEOUT,
    )
    frames = list(PROBE.frames)
    PROBE.disarm()
    if value_of(widget) != base + text:
        raise SystemExit(f"the field {widget.id} does not hold what was typed")
    keys = []
    for i, t0 in enumerate(sent):
        need = len(base) + i + 1
        t1 = next(t for t, n in frames if n >= need and t >= t0)
        keys.append({"t0": t0, "t1": t1})
    return keys


async def run_kamtui(opts) -> dict:
    # As kamtui.tui.run: no garbage collection while starting (KamApp turns it back on 1 s after
    # mount), and what was imported is frozen out of the collector's scans.
    gc.disable()
    from textual.widgets import Input, TextArea

    import kamtui.store.planfile as planfile_module
    from kamtui.store.config import Config
    from kamtui.tui.app import KamApp
    from kamtui.tui.screens.plan import PlanScreen

    gc.freeze()

    class BenchKamApp(FrameHook, KamApp):
        # Textual resolves CSS_PATH next to the defining class's file: point at kamtui's.
        CSS_PATH = str(Path(sys.modules[KamApp.__module__].__file__).parent / KamApp.CSS_PATH)

    planfile_module.PlanFile.save = timed("save", planfile_module.PlanFile.save)  # in its worker thread
    planfile_module.PlanFile.snapshot = timed("snapshot", planfile_module.PlanFile.snapshot)
    path = Path(opts.plan).resolve()
    folder = path.parent
    app = BenchKamApp(
        path=path,
        lang="en",
        folder=folder,
        config=Config(lang="en", plans_dir=folder, autosave_seconds=opts.autosave),
        manage_gc=not opts.no_gc_freeze,
    )
    app.saving.tick = timed("recovery", app.saving.tick)  # autosave and recovery checks, each tick
    out: dict = {"autosave": opts.autosave}

    async with app.run_test(size=SIZE) as pilot:
        t_open = time.monotonic()
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, PlanScreen)
                and app.screen.loaded
                and app.screen.section(app.screen.current) is not None
            ),
            "the plan screen",
        )
        out["actions"] = len(app.session.plan.actions)
        await asyncio.sleep(max(0.0, SETTLE - (time.monotonic() - t_open)))
        await app.workers.wait_for_complete()
        await pilot.pause()
        gc.callbacks.append(_gc_callback)
        out["mem_open"] = status_mb()

        def answer_area():
            focused = app.focused
            return isinstance(focused, TextArea) and focused.id == "answer" and focused

        await pilot.press("f3")
        area = await wait_until(pilot, answer_area, "the answer to have the focus")
        area.move_cursor(area.document.end)
        await pilot.pause()
        out["mem_diag"] = status_mb()
        out["area"] = list(area.content_region.size)
        t_start = time.perf_counter_ns()
        out["pilot"] = await type_with_pilot(pilot, area, sample(TEXT, opts.chars), opts)

        if opts.input_chars:
            await pilot.press("f2")
            field = await wait_until(
                pilot,
                lambda: isinstance(app.focused, Input) and app.focused,
                "an Input of the Account section to have the focus",
            )
            field.cursor_position = len(field.value)
            await pilot.pause()
            out["input_id"] = field.id
            out["input"] = await type_with_pilot(pilot, field, sample(" Europe", opts.input_chars), opts)

        if opts.typist_chars:
            await pilot.press("f3")
            area = await wait_until(pilot, answer_area, "the answer to have the focus again")
            area.move_cursor(area.document.end)
            await pilot.pause()
            out["typist"] = await type_as_terminal(pilot, area, sample(TEXT, opts.typist_chars), opts)

        qid = app.screen.section("diagnostic").qid
        await wait_until(
            pilot,
            lambda: app.session.plan.diagnostic[qid].answer == area.text,  # TextArea.Changed handled
            "the plan's answer to be what the TextArea holds",
        )
        out["mem_typed"] = status_mb()
        if opts.autosave > 0:  # the last autosave, as after one stops typing
            await wait_until(
                pilot,
                lambda: not app.dirty and not any(w.group == "save" and not w.is_finished for w in app.workers),
                "the last autosave",
                timeout=opts.autosave + 10,
            )
        out["dirty"] = app.dirty
        out["mem_end"] = status_mb()
        gc.callbacks.remove(_gc_callback)
        out["events"] = [e for e in EVENTS if e[2] >= t_start]
        app.close_plan()  # nothing to ask on the way out
        app.exit(0)
    return out


async def run_bare() -> dict:
    from textual.app import App, ComposeResult
    from textual.widgets import Label

    class BareApp(App):
        def compose(self) -> ComposeResult:
            yield Label(HELLO)

    app = BareApp()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(
            pilot, lambda: HELLO in "".join(s.text for s in app.screen._compositor.render_strips()), "the label"
        )
        await asyncio.sleep(SETTLE)
        await pilot.pause()
        out = {"mem_open": status_mb()}
        app.exit(0)
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["bare", "kamtui"])
    ap.add_argument("plan", nargs="?")
    ap.add_argument("--chars", type=int, default=300)
    ap.add_argument("--input-chars", type=int, default=30)
    ap.add_argument("--typist-chars", type=int, default=100)
    ap.add_argument("--typist-interval", type=float, default=0.08)
    ap.add_argument("--autosave", type=float, default=2.0)
    ap.add_argument("--burst", type=int, default=150)
    ap.add_argument("--no-gc-freeze", action="store_true")
    opts = ap.parse_args()
    if opts.mode == "kamtui" and not opts.plan:
        ap.error("kamtui needs PLAN")
    out = asyncio.run(run_bare() if opts.mode == "bare" else run_kamtui(opts))
    out["cpu"] = time.process_time()
    out["wall"] = (time.perf_counter_ns() - T_RUNNER) / 1e9
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
