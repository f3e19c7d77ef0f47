"""Opening a plan: the first screen is the plan itself, on its review, finished in one go;
large plans are read in a thread; a broken plan leaves the user on the plans list."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from textual.widgets import DataTable
from tui_helpers import SIZE, make_app, open_plan, plan_path, wait_for_dialog, wait_until  # noqa: F401

import kamtui.tui.app as app_module
from kamtui.model import ops
from kamtui.store.planfile import PlanFile, read_plan
from kamtui.tui.commands import SECTIONS
from kamtui.tui.dialogs.choice import MessageDialog
from kamtui.tui.screens.home import HomeScreen
from kamtui.tui.screens.plan import PlanScreen
from kamtui.tui.widgets.checklist import Checklist


def screen_text(screen) -> str:
    return "\n".join(strip.text for strip in screen._compositor.render_strips())


async def test_a_plan_given_at_start_is_the_first_screen_and_opens_on_its_review(plan_path):
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_plan(pilot)
        assert app.screen_stack == [screen]  # no empty or home screen built underneath
        assert screen.current == "review"
        review = screen.section("review")
        assert app.focused is review  # j/k scroll at once
        assert screen.query_one(Checklist).answered == 3
        text = screen_text(screen)
        for part in ("Distrib SA", "[saved]", "Review", "To ask the client", "Diagnostic  3/7", "f1 Help"):
            assert part in text, part
        # Only the section on show is built; the others come on first visit.
        assert [s for s in ("account", "diagnostic", "actions") if screen.section(s) is not None] == []


async def test_home_from_a_plan_opened_at_start_then_back_to_the_plan(plan_path):
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        await pilot.press("ctrl+o")
        home = await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen)
        assert app.screen_stack == [home]  # the plan screen is gone, not hidden underneath
        assert app.planfile is None
        table = home.query_one("#plans", DataTable)
        await wait_until(pilot, lambda: table.row_count == 1, what="the plan listed")
        table.focus()
        await pilot.press("enter")
        screen = await open_plan(pilot)
        assert app.screen_stack == [home, screen]
        assert app.session.plan.account.name == "Distrib SA"
        await pilot.press("ctrl+o")
        await wait_until(pilot, lambda: app.screen is home)
        assert app.screen_stack == [home]


async def test_a_broken_plan_at_start_shows_the_error_over_the_plans_list(tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    broken = folder / "broken.toml"
    broken.write_text('schema = 1\n[account]\nname = "Distrib SA\n', "utf-8")
    before = broken.read_bytes()
    app = make_app(broken)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await wait_for_dialog(pilot, MessageDialog)
        await pilot.pause()
        assert "broken.toml:3" in screen_text(dialog)
        assert isinstance(app.screen_stack[0], HomeScreen) and len(app.screen_stack) == 2
        assert app.planfile is None
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
    assert broken.read_bytes() == before


async def test_a_large_plan_is_read_in_a_thread_while_its_screen_shows(plan_path, monkeypatch):
    planfile = PlanFile.load(plan_path)
    monkeypatch.setattr(app_module, "SMALL_PLAN", 32 * 1024)
    for n in range(200):
        ops.add_item(planfile.plan, "actions", ops.new_item(planfile.plan, "actions", title=f"Action {n}"))
    big = plan_path.parent / "big.toml"
    PlanFile.create(big, planfile.plan)
    assert big.stat().st_size > app_module.SMALL_PLAN
    reads: list[str] = []
    real_read = app_module.KamApp._read

    def spy(self, path: Path):
        reads.append("main" if self._thread_id == threading.get_ident() else "thread")
        return real_read(self, path)

    monkeypatch.setattr(app_module.KamApp, "_read", spy)
    app = make_app(big)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_plan(pilot)
        assert reads == ["thread"]
        assert isinstance(screen, PlanScreen) and app.screen_stack == [screen]
        assert len(app.session.plan.actions) == len(read_plan(big)[0].actions) == 210
        assert "Diagnostic  3/7" in screen_text(screen)
        assert app.focused is screen.section("review")


def test_the_review_lists_the_longest_overdue_actions_first_and_says_how_many_more(plan_path):
    import datetime as dt

    from kamtui.model.questions import load_bank
    from kamtui.store.config import Config
    from kamtui.tui.i18n import set_lang
    from kamtui.tui.screens.review_parts import review_parts

    set_lang("en")
    plan = PlanFile.load(plan_path).plan
    plan.actions.clear()
    today = dt.date(2026, 11, 26)
    for n in range(30):
        ops.add_item(
            plan,
            "actions",
            ops.new_item(plan, "actions", title=f"Late {n:02}", status="todo", due=today - dt.timedelta(days=n + 1)),
        )
    parts = review_parts(plan, load_bank(), Config(), today, today, 100)
    actions = next(p for p in parts if p.key == "actions")
    assert actions.title == "Actions: 0 due before the visit, 30 overdue"
    shown = [line.plain for line in actions.lines if "Late " in line.plain]
    assert len(shown) == 25  # a list to read before a meeting (a 1,000-action plan: F9 has them all)
    assert "Late 29" in shown[0] and "30 d late" in shown[0]  # due the longest ago
    assert any("… and 5 more: F9 Actions" in line.plain for line in actions.lines)


async def test_after_opening_a_large_plan_its_parse_is_kept_for_next_time(plan_path, monkeypatch):
    from kamtui.store import parsecache

    monkeypatch.setattr(app_module, "CACHE_DELAY", 0.05)
    planfile = PlanFile.load(plan_path)
    for n in range(600):
        ops.add_item(planfile.plan, "actions", ops.new_item(planfile.plan, "actions", title=f"Action {n}"))
    big = plan_path.parent / "big.toml"
    PlanFile.create(big, planfile.plan)
    assert big.stat().st_size > parsecache.MIN_SIZE
    parsecache.entry_path(big).unlink()  # as if it came from git, not from this app
    app = make_app(big)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        await wait_until(pilot, lambda: parsecache.entry_path(big).exists(), what="the cache entry")
    assert parsecache.lookup(big, big.read_text("utf-8")) is not None


def test_the_tab_line_fits_the_terminal_and_always_shows_the_current_section():
    from kamtui.tui.i18n import set_lang
    from kamtui.tui.screens.plan import tab_line

    set_lang("en")
    wide = tab_line("review", 200).plain
    assert "F4 Market & client" in wide and "F10 Review" in wide
    for width in (120, 100, 80):
        for current in ("account", "market", "review"):
            line = tab_line(current, width).plain
            assert len(line) <= width, (width, current, line)
            assert f" {dict(SECTIONS)[current].upper()} " in line
    assert " F10 Review " in tab_line("review", 80).plain
    assert " F4 Market " in tab_line("market", 80).plain  # the current one: at least its first word
    assert "F4 Market " in tab_line("review", 120).plain  # first words when the full names don't fit
    for width in (80, 120, 200):  # the others are shown the same whichever section is current
        others = {
            tab_line(current, width).plain.replace(" F4 Market ", "").split("F5")[1]
            for current in ("account", "market")
        }
        assert len(others) == 1, (width, others)


def test_run_pauses_the_garbage_collector_while_starting_and_freezes_the_open_plan(plan_path, monkeypatch):
    import gc

    import kamtui.tui
    from kamtui.store.config import Config
    from kamtui.tui.collector import FULL_EVERY

    monkeypatch.setattr(app_module, "GC_RESUME", 0.2)
    seen = {}

    def customize(app_class):
        class Probe(app_class):
            CSS_PATH = str(Path(app_module.__file__).parent / "app.tcss")

            def on_mount(self) -> None:
                seen["starting"] = gc.isenabled()
                self.set_timer(0.6, self._probe)

            def _probe(self) -> None:
                seen["later"] = gc.isenabled()
                seen["frozen"] = gc.get_freeze_count() > 0  # start-up's and the plan's objects
                seen["full collections by Python"] = gc.get_threshold()[2]  # rare: kamtui runs them when idle
                self.action_home()  # nothing unsaved: closes the plan at once
                seen["after closing"] = gc.get_freeze_count()  # the plan can be collected again
                self.set_timer(0.3, lambda: self.exit(0))

        return Probe

    assert gc.isenabled()
    thresholds = gc.get_threshold()
    try:
        code = kamtui.tui.run(
            plan_path, "en", plan_path.parent, Config(plans_dir=plan_path.parent), headless=True, customize=customize
        )
    finally:
        gc.enable()
        gc.unfreeze()
        gc.set_threshold(*thresholds)
    assert code == 0
    assert seen == {
        "starting": False,
        "later": True,
        "frozen": True,
        "full collections by Python": FULL_EVERY,
        "after closing": 0,
    }


def test_full_garbage_collections_wait_for_a_pause_in_typing(monkeypatch):
    import gc

    from kamtui.tui import collector as collector_module

    now = [1000.0]
    monkeypatch.setattr(collector_module.time, "monotonic", lambda: now[0])
    runs = []
    monkeypatch.setattr(collector_module.gc, "collect", lambda *a: runs.append(1))
    counts = [(0, 0, collector_module.PENDING)]
    monkeypatch.setattr(collector_module.gc, "get_count", lambda: counts[0])
    collector = collector_module.Collector(managed=True)
    assert gc.isenabled()
    collector.key()
    now[0] += 0.5
    collector.tick()
    assert runs == []  # typing: no full collection
    now[0] += 0.6
    collector.tick()
    assert runs == [1] and collector.idle_runs == 1  # a pause of a second: one now
    counts[0] = (0, 0, collector_module.PENDING - 1)
    now[0] += 5
    collector.tick()
    assert runs == [1]  # too little since the last one to be worth a walk
    assert collector_module.Collector(managed=False).tick() is None and runs == [1]  # tests: never


@pytest.mark.parametrize("case", ["missing", "large and broken"])
async def test_a_plan_that_cannot_be_read_in_the_background_leaves_the_plans_list(tmp_path, monkeypatch, case):
    folder = tmp_path / "plans"
    folder.mkdir()
    path = folder / "plan.toml"
    if case == "large and broken":
        monkeypatch.setattr(app_module, "SMALL_PLAN", 1024)
        path.write_text("schema = 1\n" + "# filler\n" * 500 + "[account\n", "utf-8")
    before = path.read_bytes() if path.exists() else None
    app = make_app(path, folder)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await wait_for_dialog(pilot, MessageDialog)
        await pilot.pause()
        assert "plan.toml" in screen_text(dialog)
        assert isinstance(app.screen_stack[0], HomeScreen) and app.planfile is None
        await pilot.press("escape")
        home = await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen)
        assert app.screen_stack == [home]
        await pilot.press("n")  # the list works: a new plan can be made
        await wait_until(pilot, lambda: not isinstance(app.screen, HomeScreen), what="the new plan dialog")
    assert (path.read_bytes() if path.exists() else None) == before
