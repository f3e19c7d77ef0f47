"""One measured start-up, run in a fresh interpreter by bench/startup.py.

    python bench/_startup_runner.py bare
    python bench/_startup_runner.py kamtui demo            # = `kamtui demo`
    python bench/_startup_runner.py kamtui open PLAN.toml  # = `kamtui PLAN.toml`

Starts the app headless, waits until the target screen (a screen holding the
Label for the bare app; kamtui's PlanScreen with its first section) has been
laid out and painted with nothing left pending, records time.monotonic_ns()
(CLOCK_MONOTONIC: comparable with the parent's clock), exits the app and prints
one JSON line. Both variants use the same hooks and the same detection code.
kamtui goes through its real CLI (kamtui.cli.main); only kamtui.tui.run is
swapped for one that runs a KamApp subclass headless, and PlanScreen is
subclassed (at the moment KamApp imports it) to add the first-paint hook.
"""

from __future__ import annotations

import time

T_RUNNER = time.monotonic_ns()  # interpreter is up, before any import of ours

import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402

SHOW = bool(os.environ.get("BENCH_SHOW"))
TIMEOUT = 60.0
HELLO = "Hello from a bare Textual app"
RESULT: dict = {"runner": T_RUNNER}


class FrameHook:
    """Mixin for an App: watches every frame Textual sends to the display (also headless).

    The first frame of the target screen is noted as "paint". The "first frame" is the first one
    whose text holds everything ``expected(screen)`` lists (None: not even mounted yet). Its time
    is taken as it is sent, before its text is read to check it; then the app exits.
    """

    _bench_target = None
    _bench_expected = None

    def _display(self, screen, renderable):
        result = super()._display(screen, renderable)
        if renderable is None or screen is not self._bench_target or self._batch_count or "frame" in RESULT:
            return result
        now = time.monotonic_ns()
        RESULT.setdefault("paint", now)
        RESULT["frames"] = RESULT.get("frames", 0) + 1
        expected = self._bench_expected(screen) if screen.is_current else None
        if expected is not None:
            text = "\n".join(strip.text for strip in screen._compositor.render_strips())
            if all(part in text for part in expected):
                RESULT["frame"] = now
                RESULT["cpu"] = time.process_time()  # CPU of this process (all threads) so far
                if SHOW:
                    RESULT["text"] = text
                self.call_later(self.exit, 0)
        return result


def after_first_frame(app, screen, expected) -> None:
    """Time the first frame of ``screen`` that shows all of ``expected(screen)`` (see FrameHook)."""
    app._bench_target = screen
    app._bench_expected = expected


def run_bare() -> int:
    from textual.app import App, ComposeResult
    from textual.widgets import Label

    class BareApp(FrameHook, App):
        def compose(self) -> ComposeResult:
            yield Label(HELLO)

        def on_mount(self) -> None:
            self.set_timer(TIMEOUT, lambda: self.exit(3))
            after_first_frame(self, self.screen, lambda screen: [HELLO])

    app = BareApp()
    app.run(headless=True)
    return app.return_code or 0


def _bench_plan_screen(base):
    class BenchPlanScreen(base):
        _bench = True

        def on_mount(self) -> None:  # Textual runs PlanScreen.on_mount too (every class of the MRO)
            def expected(screen) -> list[str] | None:
                """What the finished first frame shows: the header, the section's title and first
                line, the checklist's count and the key bar."""
                from kamtui.tui.i18n import t
                from kamtui.tui.widgets.keybar import KeyBar

                section = screen.section(screen.current) if screen.loaded else None
                if section is None or not section.children:
                    return None
                app = screen.app
                RESULT["actions"] = len(app.session.plan.actions)
                checklist = screen.query_one("#checklist")
                parts = [
                    app.session.plan.account.name,
                    t(f"section.{screen.current}"),
                    f"{checklist.answered}/{checklist.total}",
                    t("cmd.help"),  # in the key bar at every width (Quit is left out when narrow)
                ]
                if screen.current == "review":
                    body = section.review_text().strip()
                    if not body:
                        return None  # laid out in on_mount: the first frame must show it
                    parts.append(body.split("\n")[0][:40])
                if not all(str(bar.content).strip() for bar in screen.query(KeyBar)):
                    return None
                return parts

            after_first_frame(self.app, self, expected)

    BenchPlanScreen.__name__ = base.__name__
    return BenchPlanScreen


def run_kamtui(argv: list[str]) -> int:
    import kamtui.tui

    real_run = kamtui.tui.run

    def customize(kam_app):
        import inspect
        from pathlib import Path

        import kamtui.tui.screens.plan as plan_module

        # The frame that counts is the first one with the plan's section and checklist on it.
        plan_module.PlanScreen = _bench_plan_screen(plan_module.PlanScreen)

        class BenchKamApp(FrameHook, kam_app):
            # Textual resolves CSS_PATH next to the defining class's file: point at kamtui's.
            CSS_PATH = str(Path(inspect.getfile(kam_app)).parent / kam_app.CSS_PATH)

            def on_mount(self) -> None:
                # Textual calls KamApp.on_mount too (handlers run for every class of the MRO).
                self.set_timer(TIMEOUT, lambda: self.exit(3))

        return BenchKamApp

    def bench_run(path, lang, folder, config) -> int:
        # The real start-up code, run headless, with the hooks above added to the App class.
        return real_run(path, lang, folder, config, headless=True, customize=customize)

    kamtui.tui.run = bench_run
    from kamtui.cli import main

    return main(argv)


def main() -> int:
    mode, rest = sys.argv[1], sys.argv[2:]
    code = run_bare() if mode == "bare" else run_kamtui(rest)
    RESULT["code"] = code
    RESULT["end"] = time.monotonic_ns()
    print(json.dumps(RESULT))
    return 0 if code == 0 and "frame" in RESULT else 1


if __name__ == "__main__":
    sys.exit(main())
