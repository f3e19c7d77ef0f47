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
RESULT: dict = {"runner": T_RUNNER}


class FrameHook:
    """Mixin for an App: notes when the target screen is first sent to the display."""

    _bench_target = None

    def _display(self, screen, renderable):  # Textual calls this for each screen update (also headless)
        if (renderable is not None and screen is self._bench_target and "paint" not in RESULT
                and not self._batch_count):
            RESULT["paint"] = time.monotonic_ns()
        return super()._display(screen, renderable)


def _pending(screen) -> bool:
    return bool(screen._layout_required or screen._scroll_required or screen._repaint_required
                or screen._recompose_required or screen._dirty_widgets)


def after_first_frame(app, screen, ready) -> None:
    """Once ``screen`` is current, ``ready(screen)`` holds, it was painted and nothing is pending:
    record the time and exit. Re-checks after each refresh until then."""
    app._bench_target = screen
    RESULT["checks"] = 0

    def check() -> None:
        RESULT["checks"] += 1
        if screen.is_current and ready(screen) and "paint" in RESULT and not _pending(screen):
            RESULT["frame"] = time.monotonic_ns()
            RESULT["cpu"] = time.process_time()  # CPU of this process (all threads) so far
            if SHOW:
                RESULT["text"] = "\n".join(s.text for s in screen._compositor.render_strips())
            app.exit(0)
        else:
            # Not yet: look again shortly, without starving the event loop of other work
            # (kamtui's plan arrives from a thread through call_from_thread).
            app.set_timer(0.001, lambda: screen.call_after_refresh(check))

    screen.call_after_refresh(check)


def run_bare() -> int:
    from textual.app import App, ComposeResult
    from textual.widgets import Label

    class BareApp(FrameHook, App):
        def compose(self) -> ComposeResult:
            yield Label("Hello from a bare Textual app")

        def on_mount(self) -> None:
            self.set_timer(TIMEOUT, lambda: self.exit(3))
            after_first_frame(self, self.screen, lambda s: bool(s.query(Label)))

    app = BareApp()
    app.run(headless=True)
    return app.return_code or 0


def _bench_plan_screen(base):
    class BenchPlanScreen(base):
        _bench = True

        def on_mount(self) -> None:
            parent = getattr(super(), "on_mount", None)
            if parent is not None:
                parent()

            def ready(screen) -> bool:
                from textual.widgets import Footer

                section = screen.section(screen.current) if screen.loaded else None
                footers = screen.query(Footer)
                return (section is not None and section.is_mounted and bool(section.children)
                        and all(footer.children for footer in footers))

            after_first_frame(self.app, self, ready)

    BenchPlanScreen.__name__ = base.__name__
    return BenchPlanScreen


def run_kamtui(argv: list[str]) -> int:
    import kamtui.tui

    def bench_run(path, lang, folder, config) -> int:
        import inspect
        from pathlib import Path

        import kamtui.tui.screens.plan as plan_module
        from kamtui.tui.app import KamApp

        # The plan screen is shown before the plan is read; the frame that counts is the
        # first one with the plan's section and checklist on it.
        plan_module.PlanScreen = _bench_plan_screen(plan_module.PlanScreen)

        class BenchKamApp(FrameHook, KamApp):
            # Textual resolves CSS_PATH next to the defining class's file: point at kamtui's.
            CSS_PATH = str(Path(inspect.getfile(KamApp)).parent / KamApp.CSS_PATH)

            def on_mount(self) -> None:
                # Textual calls KamApp.on_mount too (handlers run for every class of the MRO).
                self.set_timer(TIMEOUT, lambda: self.exit(3))

            async def _opened(self, planfile, recovered) -> None:
                RESULT["actions"] = len(planfile.plan.actions)
                await super()._opened(planfile, recovered)

        app = BenchKamApp(path=path, lang=lang, folder=folder, config=config)
        app.run(headless=True)
        return app.return_code or 0

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
