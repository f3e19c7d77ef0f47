"""Saving and the plan file's life (SPEC §4): quitting with unsaved changes asks, autosave,
outside changes are never overwritten silently, recovery after a crash, plan text is never
markup, and the home screen's new / open / delete."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

from textual.widgets import DataTable, Input, TextArea
from tui_helpers import (  # tests/ is on sys.path under pytest
    SIZE,
    copy_demo,
    disk_plan,
    focus_row,
    go_to,
    make_app,
    open_plan,
    plan_path,  # noqa: F401 - fixture
    save,
    screen_text,
    type_text,
    wait_for_dialog,
    wait_for_workers,
    wait_until,
)

import kamtui.session.session as session_module
from kamtui.store.recovery import recovery_copies
from kamtui.tui.dialogs.choice import ChoiceDialog
from kamtui.tui.dialogs.editor import EditorDialog
from kamtui.tui.dialogs.newplan import NewPlanDialog
from kamtui.tui.screens.home import HomeScreen
from kamtui.tui.screens.plan import PlanScreen
from kamtui.tui.widgets.itemtable import ItemTable

ANSWER = "Bonne connaissance de la centrale"  # the start of the first question's answer in the demo


async def edit_answer(pilot, text: str = "Z", unsaved: bool = True) -> None:
    """Type at the start of the first question's answer (focused when the diagnostic opens)."""
    app = pilot.app
    if app.screen.current != "diagnostic":
        await go_to(pilot, "diagnostic")
    assert isinstance(app.focused, TextArea) and app.focused.id == "answer"
    app.focused.move_cursor((0, 0))  # entering the answer put the cursor at its end: type at its start
    await type_text(pilot, text)
    assert app.session.plan.diagnostic["know-client"].answer.startswith(text + ANSWER)
    if unsaved:
        assert app.dirty and app.save_state == "unsaved"


def choice_keys(dialog: ChoiceDialog) -> list[str]:
    return [key for key, _, _ in dialog.choices]


async def wait_exit(pilot) -> None:
    await wait_until(pilot, lambda: pilot.app._exit, what="the app to exit")


# --- quitting ------------------------------------------------------------------------


async def test_quit_with_unsaved_changes_asks_and_cancel_keeps_running(plan_path):
    before = plan_path.read_bytes()
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        await edit_answer(pilot)
        await pilot.press("ctrl+q")
        dialog = await wait_for_dialog(pilot)
        assert choice_keys(dialog) == ["save", "discard", "cancel"]
        assert dialog.query("#choice-save") and dialog.query("#choice-discard") and dialog.query("#choice-cancel")
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen))
        assert app.is_running and not app._exit
        assert app.dirty and app.session.plan.diagnostic["know-client"].answer.startswith("Z" + ANSWER)
        # Escape is a cancel too.
        await pilot.press("ctrl+q")
        await wait_for_dialog(pilot)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen))
        assert app.is_running and not app._exit
    assert plan_path.read_bytes() == before


async def test_quit_discard_exits_without_writing(plan_path):
    before = plan_path.read_bytes()
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        await edit_answer(pilot)
        await pilot.press("ctrl+q")
        await wait_for_dialog(pilot)
        await pilot.click("#choice-discard")
        await wait_exit(pilot)
        await wait_for_workers(app)
    assert app.return_value == 0
    assert plan_path.read_bytes() == before
    assert recovery_copies(plan_path) == []


async def test_quit_save_writes_then_exits(plan_path):
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        await edit_answer(pilot)
        await pilot.press("ctrl+q")
        await wait_for_dialog(pilot)
        await pilot.press("s")
        await wait_exit(pilot)
        await wait_for_workers(app)
    assert app.return_value == 0
    assert disk_plan(plan_path).diagnostic["know-client"].answer.startswith("Z" + ANSWER)


async def test_quit_without_changes_does_not_ask(plan_path):
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        await pilot.press("ctrl+q")
        await wait_exit(pilot)
        assert not isinstance(app.screen, ChoiceDialog)


# --- autosave ------------------------------------------------------------------------


async def test_autosave_writes_after_the_idle_delay(plan_path):
    before = plan_path.read_bytes()
    app = make_app(plan_path, autosave=0.3)
    edits: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        seen = [app.session.version]

        def spy(session) -> None:
            if session.version != seen[-1]:  # an edit (the session also reports saves)
                seen.append(session.version)
                edits.append(time.time())

        app.session.subscribe(spy)
        await edit_answer(pilot, "AB", unsaved=False)  # (a slow machine may have autosaved already)
        await wait_until(pilot, lambda: plan_path.read_bytes() != before, what="the autosave")
        await wait_for_workers(app, pilot)
        written = plan_path.stat().st_mtime  # when the autosave wrote the file
        await wait_until(pilot, lambda: app.save_state == "saved" and not app.dirty)
    assert edits  # (keys typed faster than the app handles them may give a single change)
    assert written - edits[-1] >= 0.3 - 0.02  # after the idle delay since the last change, not before
    assert disk_plan(plan_path).diagnostic["know-client"].answer.startswith("AB" + ANSWER)


# --- outside changes -----------------------------------------------------------------


def change_behind_our_back(path: Path, old: str, new: str) -> bytes:
    """Rewrite the file with ``old`` replaced by ``new`` (same size), mtime restored."""
    assert len(old.encode()) == len(new.encode())
    st = path.stat()
    data = path.read_bytes().replace(old.encode(), new.encode(), 1)
    path.write_bytes(data)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    return data


async def test_outside_change_is_detected_and_keep_mine_writes_ours(plan_path):
    app = make_app(plan_path, watch_interval=0.2)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        await edit_answer(pilot)
        theirs = change_behind_our_back(plan_path, 'kam = "Fabienne B."', 'kam = "Fabienne C."')
        dialog = await wait_for_dialog(pilot)
        assert choice_keys(dialog) == ["reload", "keep", "diff"]
        assert "demo.toml" in str(dialog.message)
        # Nothing was written over their version while asking.
        await pilot.press("escape")  # ask again later
        await pilot.press("ctrl+s")
        await wait_for_workers(app, pilot)
        assert plan_path.read_bytes() == theirs
        dialog = await wait_for_dialog(pilot)
        await pilot.press("k")
        await wait_for_workers(app, pilot)
        await wait_until(pilot, lambda: app.save_state == "saved" and isinstance(app.screen, PlanScreen))
        # Mine is kept in memory and written; no second question about our own write.
        await pilot.pause(0.5)
        assert isinstance(app.screen, PlanScreen)
    disk = disk_plan(plan_path)
    assert disk.diagnostic["know-client"].answer.startswith("Z" + ANSWER)
    assert disk.account.kam == "Fabienne B."
    assert app.session.plan.account.kam == "Fabienne B."


async def test_outside_change_reload_takes_theirs(plan_path):
    app = make_app(plan_path, watch_interval=0.2)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_plan(pilot)
        await edit_answer(pilot)
        theirs = change_behind_our_back(plan_path, 'name = "Distrib SA"', 'name = "Distrib SB"')
        await wait_for_dialog(pilot)
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen))
        assert app.session.plan.account.name == "Distrib SB"
        assert app.session.plan.diagnostic["know-client"].answer.startswith(ANSWER)  # our edit dropped
        assert not app.dirty and app.save_state == "saved"
        assert screen.query_one("#answer", TextArea).text.startswith(ANSWER)  # shown again
        account = await go_to(pilot, "account")
        assert account.query_one("#f-name", Input).value == "Distrib SB"
        await pilot.pause(0.5)
        assert isinstance(app.screen, PlanScreen)  # no new question: the file is what we have
    assert plan_path.read_bytes() == theirs


# --- recovery ------------------------------------------------------------------------


async def test_recovery_after_a_crash_restores_the_edit(plan_path, monkeypatch):
    monkeypatch.setattr(session_module, "RECOVERY_EVERY", 0.1)
    before = plan_path.read_bytes()
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        await edit_answer(pilot, "LOST")
        await wait_until(pilot, lambda: recovery_copies(plan_path), what="the recovery file")
        await wait_for_workers(app, pilot)
        app.exit()  # a crash: no quit question, no save
        await wait_exit(pilot)
    assert plan_path.read_bytes() == before

    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await wait_for_dialog(pilot)
        assert choice_keys(dialog) == ["restore", "discard"]
        assert not app.session.plan.diagnostic["know-client"].answer.startswith("LOST")
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen))
        assert app.session.plan.diagnostic["know-client"].answer.startswith("LOST" + ANSWER)
        diagnostic = await go_to(pilot, "diagnostic")
        assert diagnostic.query_one("#answer", TextArea).text.startswith("LOST" + ANSWER)
        assert app.dirty and app.save_state == "unsaved"
        assert plan_path.read_bytes() == before  # restored in memory, not written behind the user's back
        await save(pilot)
    assert disk_plan(plan_path).diagnostic["know-client"].answer.startswith("LOST" + ANSWER)
    assert recovery_copies(plan_path) == []


# --- plan text is data, never markup -------------------------------------------------

CLICK = "[@click=app.quit]x"
BRACKET = "[/"


async def test_markup_in_names_is_shown_literally(plan_path):
    text = plan_path.read_text("utf-8")
    text = text.replace('name = "Marc Lefèvre"', f'name = "{CLICK}"').replace(
        'name = "Claire Martin"', f'name = "{BRACKET}"'
    )
    plan_path.write_text(text, "utf-8")
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        section = await go_to(pilot, "relationships")
        table = section.query_one("#stakeholders-table", ItemTable)
        assert str(table.get_row_at(0)[0]) == CLICK
        assert str(table.get_row_at(1)[0]) == BRACKET
        shown = screen_text(app)
        assert CLICK in shown and BRACKET in shown
        await pilot.click(table, offset=(4, 1))  # on the name: no link to quit, the row's editor opens
        dialog = await wait_for_dialog(pilot, EditorDialog)
        assert app.is_running and not app._exit
        assert dialog.query_one("#f-name", Input).value == CLICK
        await wait_until(pilot, lambda: CLICK in screen_text(app), what="the name in the editor")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen))

        await focus_row(pilot, table, 1)
        await pilot.press("e")
        dialog = await wait_for_dialog(pilot, EditorDialog)
        assert dialog.query_one("#f-name", Input).value == BRACKET
        # Claire reports to Marc: his name is a choice of the reports-to field.
        reports_to = dialog.query_one("#f-reports_to")
        assert reports_to.value == "s-qxz3jc"
        reports_to.focus()  # scrolls it into view
        await pilot.pause()
        editor_text = screen_text(app)
        assert f"  {BRACKET}  " in editor_text and CLICK in editor_text
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen))

        await pilot.press("d")  # the confirmation names it too
        dialog = await wait_for_dialog(pilot)
        assert f"“{BRACKET}”" in str(dialog.message)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen))
        assert app.is_running and not app._exit and not app.dirty
        assert [s.name for s in app.session.plan.stakeholders][:2] == [CLICK, BRACKET]


# --- home: the plans folder ----------------------------------------------------------


async def wait_home(pilot, rows: int) -> DataTable:
    screen = pilot.app.screen
    assert isinstance(screen, HomeScreen)
    table = screen.query_one("#plans", DataTable)
    await wait_until(
        pilot, lambda: len(screen.summaries) == rows and table.row_count == rows, what=f"{rows} plans listed"
    )
    return table


async def test_home_lists_the_plans_and_opens_one(tmp_path, complete_text):
    folder = tmp_path / "plans"
    copy_demo(folder, "distrib.toml")
    (folder / "complete.toml").write_text(complete_text, "utf-8")
    (folder / "notes.txt").write_text("not a plan", "utf-8")
    app = make_app(None, folder)
    async with app.run_test(size=SIZE) as pilot:
        table = await wait_home(pilot, 2)
        rows = [[str(c) for c in table.get_row_at(n)] for n in range(2)]
        assert [r[0] for r in rows] == ["Complete SA", "Distrib SA"]
        assert [Path(p.path).name for p in app.screen.summaries] == ["complete.toml", "distrib.toml"]
        assert rows[0][2:4] == ["100 %", "0"] and rows[1][3] == "4"  # complete, unanswered
        table.focus()
        table.move_cursor(row=1)
        await pilot.press("enter")
        await open_plan(pilot)
        assert app.planfile.path == folder / "distrib.toml"
        assert app.session.plan.account.name == "Distrib SA"


async def test_home_new_plan_creates_the_file(tmp_path):
    folder = tmp_path / "plans"
    copy_demo(folder)
    app = make_app(None, folder)
    async with app.run_test(size=SIZE) as pilot:
        await wait_home(pilot, 1)
        await pilot.press("n")
        dialog = await wait_for_dialog(pilot, NewPlanDialog)
        await type_text(pilot, "Acme")
        period = dialog.query_one("#period", Input)
        period.focus()
        await pilot.pause()
        await type_text(pilot, "2031\n")
        await open_plan(pilot)
        assert app.planfile.path == folder / "acme-2031.toml"
        assert app.session.plan.account.name == "Acme"
    created = disk_plan(folder / "acme-2031.toml")
    assert created.account.name == "Acme" and created.account.period_start.year == 2031


def shown_text(app) -> str:
    """The screen's text as one line: a dialog's borders taken off, wrapped lines joined."""
    return " ".join(" ".join(line.strip(" █▎▊") for line in screen_text(app).splitlines()).split())


async def test_home_new_plan_takes_a_period_of_months_and_says_what_is_wrong(tmp_path):
    folder = tmp_path / "plans"
    copy_demo(folder)
    app = make_app(None, folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_home(pilot, 1)
        await pilot.press("n")
        dialog = await wait_for_dialog(pilot, NewPlanDialog)
        await type_text(pilot, "Gamma")
        await pilot.press("tab")  # to the period, its text selected: typing replaces it
        period = dialog.query_one("#period", Input)
        await wait_until(pilot, lambda: app.focused is period, what="the period focused")
        for typed, said in [
            ("2026-13..2027-06", "Expected a year like 2027 or a first and last month like 2026-07..2027-06"),
            ("2027-06..2026-07", "The last month comes before the first one in “2027-06..2026-07”."),
            ("2026-01..2031-12", "“2026-01..2031-12” is longer than five years."),
        ]:
            await type_text(pilot, typed + "\n")
            await wait_until(pilot, lambda said=said: said in shown_text(app), what=said)
            assert app.screen is dialog and app.focused is period  # still open, on the period to fix
            error = dialog.query_one("#newplan-error")
            assert error.region.bottom <= 24 and dialog.query_one("#ok").region.bottom <= 24  # in view at 80x24
        assert not (folder / "gamma-2026-2027.toml").exists()
        await type_text(pilot, "2026-07..2027-06\n")
        await open_plan(pilot)
        assert app.planfile.path == folder / "gamma-2026-2027.toml"
    created = disk_plan(folder / "gamma-2026-2027.toml")
    assert (created.account.period_start, created.account.period_end) == (dt.date(2026, 7, 1), dt.date(2027, 6, 30))


async def test_ctrl_s_accepts_the_new_plan_dialog(tmp_path):
    folder = tmp_path / "plans"
    copy_demo(folder)
    app = make_app(None, folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_home(pilot, 1)
        await pilot.press("n")
        await wait_for_dialog(pilot, NewPlanDialog)
        await type_text(pilot, "Beta")
        await pilot.press("ctrl+s")
        await open_plan(pilot)
        assert app.session.plan.account.name == "Beta"
    assert disk_plan(app.planfile.path).account.name == "Beta"


async def test_home_delete_moves_the_plan_to_trash_after_confirming(tmp_path, complete_text):
    folder = tmp_path / "plans"
    demo = copy_demo(folder, "distrib.toml")
    (folder / "complete.toml").write_text(complete_text, "utf-8")
    app = make_app(None, folder)
    async with app.run_test(size=SIZE) as pilot:
        table = await wait_home(pilot, 2)
        table.focus()
        table.move_cursor(row=1)
        await pilot.pause()
        await pilot.press("d")
        dialog = await wait_for_dialog(pilot)
        assert "Distrib SA" in str(dialog.message)
        await pilot.press("n")  # no: nothing moves
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert demo.exists()
        await pilot.press("d")
        await wait_for_dialog(pilot)
        await pilot.press("y")
        table = await wait_home(pilot, 1)
        assert str(table.get_row_at(0)[0]) == "Complete SA"
    assert not demo.exists()
    assert (folder / ".trash" / "distrib.toml").read_bytes() == copy_demo(tmp_path / "again").read_bytes()
    assert (folder / "complete.toml").exists()
