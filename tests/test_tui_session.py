"""The plan session seen from the keyboard: undo / redo, an honest quit, outside changes while any
dialog is open and whatever the plan's path turns into, the palette's keys, the language of key
labels. Every step presses the real keys."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.widgets import Input, Select, TextArea
from tui_helpers import (
    SIZE,
    choose,
    copy_demo,
    disk_plan,
    fill_editor,
    focus_row,
    go_to,
    make_app,
    open_plan,
    save,
    screen_text,
    type_into,
    type_text,
    wait_for_dialog,
    wait_for_workers,
    wait_until,
)

from kamtui.tui.app import KamApp
from kamtui.tui.dialogs.choice import ChoiceDialog, MessageDialog
from kamtui.tui.dialogs.editor import EditorDialog
from kamtui.tui.dialogs.help import HelpDialog
from kamtui.tui.dialogs.saveas import SaveAsDialog
from kamtui.tui.screens.plan import PlanScreen
from kamtui.tui.widgets.itemtable import ItemTable


@pytest.fixture
def plan_path(tmp_path: Path) -> Path:
    return copy_demo(tmp_path / "plans")


def change_on_disk(path: Path, old: str, new: str) -> bytes:
    """Someone else's edit (a git pull): the file rewritten with ``old`` replaced by ``new``."""
    data = path.read_bytes().replace(old.encode(), new.encode(), 1)
    assert data != path.read_bytes()
    path.write_bytes(data)
    return data


async def undo(pilot, times: int = 1) -> None:
    for _ in range(times):
        await pilot.press("ctrl+z")
        await pilot.pause()


async def redo(pilot, times: int = 1) -> None:
    for _ in range(times):
        await pilot.press("ctrl+y")
        await pilot.pause()


# --- undo / redo -------------------------------------------------------------------------


async def test_undo_and_redo_every_kind_of_edit_back_to_the_original_bytes(plan_path):
    original = plan_path.read_bytes()
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        plan = app.session.plan
        # 1. typing in a field
        account = await go_to(pilot, "account")
        await type_text(pilot, " Nord")
        assert app.session.plan.account.name == "Distrib SA Nord"
        # 2. a team member added (item editor), 3. edited, 4. moved
        team = account.query_one("#team-table", ItemTable)
        await focus_row(pilot, team, 0)
        await pilot.press("a")
        dialog = await wait_for_dialog(pilot, EditorDialog)
        await fill_editor(pilot, dialog, {"name": "Zoé K.", "role": "Finance"})
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, EditorDialog))
        await pilot.press("e")
        dialog = await wait_for_dialog(pilot, EditorDialog)
        await fill_editor(pilot, dialog, {"role": "Trésorerie"})
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, EditorDialog))
        await pilot.press("J")
        assert [m.name for m in app.session.plan.account.team][:3] == ["Paul R.", "Inès T.", "Zoé K."]
        # 5. an answer typed, 6. its status chosen
        diagnostic = await go_to(pilot, "diagnostic")
        await type_text(pilot, " Et plus.")
        await choose(pilot, diagnostic.query_one("#answer-status", Select), "to-confirm")
        # 7. an action deleted
        actions = await go_to(pilot, "actions")
        table = actions.query_one("#actions-table", ItemTable)
        await focus_row(pilot, table, 1)
        await pilot.press("d")
        await wait_for_dialog(pilot)
        await pilot.press("y")
        await wait_until(pilot, lambda: len(app.session.plan.actions) == 9)
        # 8. a SWOT list typed into
        market = await go_to(pilot, "market")
        await type_into(pilot, market.query_one("#f-threats", TextArea), "\nNouvelle menace", replace=False)
        await save(pilot)  # undo goes on across saves
        edited = plan_path.read_bytes()
        assert edited != original

        steps = len(app.session.history.undo)
        assert steps >= 8
        await undo(pilot, steps)
        assert app.dirty and not app.session.can_undo
        assert app.session.plan.account.name == "Distrib SA" and len(app.session.plan.actions) == 10
        await save(pilot)
        assert plan_path.read_bytes() == original

        await redo(pilot, steps)
        assert not app.session.can_redo
        await save(pilot)
        assert plan_path.read_bytes() == edited
        assert plan is not None


async def test_undo_shows_where_the_change_was_and_back_to_saved_is_clean(plan_path):
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_plan(pilot)
        actions = await go_to(pilot, "actions")
        table = actions.query_one("#actions-table", ItemTable)
        await focus_row(pilot, table, 4)
        title = app.session.plan.actions[4].title
        await pilot.press("d")
        await wait_for_dialog(pilot)
        await pilot.press("y")
        await wait_until(pilot, lambda: len(app.session.plan.actions) == 9)
        assert app.dirty and app.save_state == "unsaved"
        await go_to(pilot, "review")
        await undo(pilot)
        # Back in Actions, the cursor on the action that came back; the plan is clean again.
        await wait_until(pilot, lambda: screen.current == "actions")
        await wait_until(pilot, lambda: app.focused is table and table.cursor_row == 4)
        assert app.session.plan.actions[4].title == title
        assert not app.dirty and app.save_state == "saved"
        assert "saved" in screen.query_one("#status").render().plain  # type: ignore[attr-defined]
        # Nothing left to undo: said so, nothing changes.
        await undo(pilot)
        assert not app.dirty and len(app.session.plan.actions) == 10


async def test_typing_is_one_undo_step_per_field_and_pause(plan_path):
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        account = await go_to(pilot, "account")
        await type_text(pilot, " Nord")  # five keys
        kam = account.query_one("#f-kam", Input)
        kam.focus()
        await pilot.pause()
        await type_text(pilot, " (KAM)")
        await undo(pilot)
        assert app.session.plan.account.kam == "Fabienne B." and kam.value == "Fabienne B."
        assert app.session.plan.account.name == "Distrib SA Nord"
        await undo(pilot)
        name = account.query_one("#f-name", Input)
        assert app.session.plan.account.name == "Distrib SA" and name.value == "Distrib SA"
        assert app.focused is name  # the cursor went to where the change was
        await redo(pilot)
        assert name.value == "Distrib SA Nord"


async def test_tab_into_a_field_keeps_its_text_and_typing_adds_to_it(plan_path):
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        account = await go_to(pilot, "account")
        await pilot.press("tab")
        group = account.query_one("#f-group", Input)
        assert app.focused is group
        await type_text(pilot, " Nord")
        assert app.session.plan.account.group == "Distrib Groupe Nord"
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.session.plan.account.group == group.value == "Distrib Groupe"
        assert not app.dirty


async def test_a_mistyped_account_name_undone_leaves_the_file_as_it_was(plan_path):
    before = plan_path.read_bytes()
    app = make_app(plan_path, autosave=0.2)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        await go_to(pilot, "account")
        await type_text(pilot, "xx")
        await wait_until(pilot, lambda: plan_path.read_bytes() != before, what="the autosave")
        await undo(pilot)
        await wait_until(pilot, lambda: plan_path.read_bytes() == before, what="the autosave of the undo")
        await wait_for_workers(app, pilot)
        assert not app.dirty


async def test_escape_in_an_item_editor_with_changes_asks(plan_path):
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        actions = await go_to(pilot, "actions")
        table = actions.query_one("#actions-table", ItemTable)
        await focus_row(pilot, table, 0)
        await pilot.press("e")
        dialog = await wait_for_dialog(pilot, EditorDialog)
        title = dialog.query_one("#f-title", Input)
        assert app.focused is title and title.cursor_position == len(title.value)
        await type_text(pilot, " !")
        await pilot.press("escape")
        ask = await wait_for_dialog(pilot, ChoiceDialog)
        await pilot.press("n")  # keep editing
        await wait_until(pilot, lambda: app.screen is dialog)
        assert title.value.endswith(" !")
        await pilot.press("escape")
        await wait_for_dialog(pilot, ChoiceDialog)
        await pilot.press("y")  # throw the changes away
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen))
        assert not app.session.plan.actions[0].title.endswith(" !") and not app.dirty
        # An editor without changes closes at once.
        await pilot.press("e")
        await wait_for_dialog(pilot, EditorDialog)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen))
        assert ask is not None


# --- an honest quit ----------------------------------------------------------------------


async def test_quit_waiting_past_autosave_then_discard_leaves_the_file_as_saved(plan_path):
    before = plan_path.read_bytes()
    app = make_app(plan_path, autosave=1.0)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        await go_to(pilot, "account")
        await type_text(pilot, "Z")
        await pilot.press("ctrl+q")  # within the autosave delay
        await wait_for_dialog(pilot)
        await pilot.pause(1.5)  # well past it: nothing may write while the question is open
        await wait_for_workers(app, pilot)
        assert plan_path.read_bytes() == before
        assert app.save_state == "unsaved"
        await pilot.press("d")
        await wait_until(pilot, lambda: app._exit, what="the app to exit")
    assert plan_path.read_bytes() == before


# --- outside changes, whatever dialog is open --------------------------------------------


@pytest.mark.parametrize("opened", ["editor", "help", "difference"])
async def test_reload_with_a_dialog_open(plan_path, opened):
    app = make_app(plan_path, watch_interval=0.2)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        actions = await go_to(pilot, "actions")
        table = actions.query_one("#actions-table", ItemTable)
        await focus_row(pilot, table, 0)
        if opened == "editor":
            await pilot.press("e")
            await wait_for_dialog(pilot, EditorDialog)
        elif opened == "help":
            await pilot.press("f1")
            await wait_for_dialog(pilot, HelpDialog)
        change_on_disk(plan_path, 'name = "Distrib SA"', 'name = "Distrib SB"')
        await wait_for_dialog(pilot, ChoiceDialog)
        if opened == "difference":
            await pilot.press("d")
            diff = await wait_for_dialog(pilot, MessageDialog)
            assert "Distrib SB" in screen_text(app)
            await pilot.pause(0.7)  # several checks of the file: the question must not come back over it
            assert app.screen is diff
            await pilot.press("escape")
            await wait_for_dialog(pilot, ChoiceDialog)
        await pilot.press("r")
        await wait_until(pilot, lambda: app.session.plan.account.name == "Distrib SB", what="the reload")
        await pilot.pause()
        assert app.is_running and not app.dirty and app.save_state == "saved"
        if opened != "difference":  # the plan seen around the dialog is the reloaded one
            await wait_until(pilot, lambda: "Distrib SB" in screen_text(app).splitlines()[0], what="the header")
        if opened == "editor":
            assert isinstance(app.screen, EditorDialog)
            await pilot.press("ctrl+s")  # the edited copy is applied to the reloaded plan
        elif opened == "help":
            await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen))
        # Undo gives our version back.
        if opened != "editor":
            await undo(pilot)
            assert app.session.plan.account.name == "Distrib SA" and app.dirty


async def test_outside_change_path_becomes_a_folder_then_write_mine_says_why(plan_path):
    app = make_app(plan_path, watch_interval=0.2)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        plan_path.unlink()
        plan_path.mkdir()
        dialog = await wait_for_dialog(pilot, ChoiceDialog)
        assert [k for k, _, _ in dialog.choices] == ["keep", "later"]
        assert "folder" in str(dialog.message)
        await pilot.press("w")  # write mine there: impossible, said clearly, the app goes on
        await wait_for_workers(app, pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen))
        await pilot.pause()
        assert app.is_running and app.session.plan.account.name == "Distrib SA"
        assert plan_path.is_dir()


async def test_outside_change_path_becomes_a_fifo_never_freezes(plan_path):
    app = make_app(plan_path, watch_interval=0.2)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        plan_path.unlink()
        os.mkfifo(plan_path)
        dialog = await wait_for_dialog(pilot, ChoiceDialog, timeout=3)
        assert "pipe" in str(dialog.message)
        await pilot.press("l")  # later: not asked again while it stays so, the header says it
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen))
        await pilot.pause(0.6)
        assert isinstance(app.screen, PlanScreen) and app.save_state == "outside"
        await pilot.press("ctrl+s")  # asked for: the question comes back
        await wait_for_dialog(pilot, ChoiceDialog)
        await pilot.press("w")
        await wait_until(pilot, lambda: app.save_state == "saved", what="mine written")
    assert stat.S_ISREG(plan_path.stat().st_mode)
    assert disk_plan(plan_path).account.name == "Distrib SA"


async def test_outside_change_file_deleted_then_written_again(plan_path):
    app = make_app(plan_path, watch_interval=0.2)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        plan_path.unlink()
        await wait_for_dialog(pilot, ChoiceDialog)
        await pilot.press("w")
        await wait_until(pilot, lambda: plan_path.exists() and app.save_state == "saved", what="mine written")
    assert disk_plan(plan_path).account.name == "Distrib SA"


async def test_a_plan_behind_a_symlink_is_saved_through_the_link(tmp_path):
    target = copy_demo(tmp_path / "real")
    folder = tmp_path / "plans"
    folder.mkdir()
    link = folder / "distrib.toml"
    link.symlink_to(target)
    app = make_app(link, watch_interval=0.2)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        await go_to(pilot, "account")
        await type_text(pilot, " Nord")
        await save(pilot)
        assert link.is_symlink() and disk_plan(target).account.name == "Distrib SA Nord"
        # Someone changes the target; keep mine writes through the link too.
        change_on_disk(target, 'kam = "Fabienne B."', 'kam = "Fabienne C."')
        await wait_for_dialog(pilot, ChoiceDialog)
        await pilot.press("k")
        await wait_until(pilot, lambda: app.save_state == "saved", what="mine written")
        assert link.is_symlink()
        assert disk_plan(target).account.kam == "Fabienne B."
        # ...and undo of "keep mine" gives theirs back.
        await undo(pilot)
        assert app.session.plan.account.kam == "Fabienne C."


# --- commands -----------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["ctrl+p", "f12"])
async def test_the_palette_opens_with_its_keys_and_lists_undo(plan_path, key):
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        await pilot.press(key)
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), what="the palette")
        await type_text(pilot, "save")
        await wait_until(pilot, lambda: "Save" in screen_text(app), what="the save command")
        assert "^s" in screen_text(app)


async def test_help_lists_each_key_of_a_command_apart(plan_path):
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        await pilot.press("f1")
        dialog = await wait_for_dialog(pilot, HelpDialog)
        text = "\n".join(f"{keys} {label}" for keys, label in dialog.lines)  # a scroll box: all of it
        assert "^p / f12" in text and "^p,f12" not in text
        assert "^z" in text and "Undo" in text


async def test_key_labels_follow_the_language_given_to_the_app(plan_path):
    import kamtui.tui.screens.plan  # noqa: F401 - every UI module imported before the app exists

    app = KamApp(path=plan_path, lang="fr", folder=plan_path.parent, config=None)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        await go_to(pilot, "account")
        await type_text(pilot, "x")  # something to undo
        await pilot.pause()
        bar = screen_text(app).splitlines()[-1]
        assert "Enregistrer" in bar and "Annuler" in bar and "Aide" in bar
        assert "Save" not in bar and "Undo" not in bar


async def test_keys_are_remapped_from_the_config(plan_path):
    from tui_helpers import make_config

    config = make_config(plan_path.parent)
    config.keys = {"app.save": "f11", "no.such": "x"}
    app = KamApp(path=plan_path, lang="en", folder=plan_path.parent, config=config)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        await go_to(pilot, "account")
        await type_text(pilot, "x")
        await pilot.press("f11")
        await wait_until(pilot, lambda: not app.dirty, what="saved with f11")
        assert "f11" in screen_text(app).splitlines()[-1].lower()
        assert disk_plan(plan_path).account.name == "Distrib SAx"


# --- two kamtui on one plan; save as ---------------------------------------------------


async def test_a_plan_open_in_another_kamtui_opens_read_only_unless_the_user_insists(plan_path):
    from kamtui.store.lock import OpenLock

    other = OpenLock(plan_path)  # another kamtui (a lock is per open file: as good as a process)
    assert other.acquire() is None
    try:
        app = make_app(plan_path)
        async with app.run_test(size=SIZE) as pilot:
            dialog = await wait_for_dialog(pilot, ChoiceDialog)
            assert str(os.getpid()) in str(dialog.message) and "demo.toml" in str(dialog.message)
            await pilot.press("r")
            await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen))
            assert app.session.read_only and app.save_state == "readonly"
            account = await go_to(pilot, "account")
            assert account.query_one("#f-name", Input).disabled
            await pilot.press("ctrl+z")
            assert not app.dirty
    finally:
        other.release()

    other = OpenLock(plan_path)
    assert other.acquire() is None
    try:
        app = make_app(plan_path)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for_dialog(pilot, ChoiceDialog)
            await pilot.press("e")  # edit anyway
            await wait_until(pilot, lambda: not app.session.read_only)
            account = await go_to(pilot, "account")
            name = account.query_one("#f-name", Input)
            assert not name.disabled
            await type_text(pilot, " Nord")
            await save(pilot)
        assert disk_plan(plan_path).account.name == "Distrib SA Nord"
    finally:
        other.release()


async def test_save_as_writes_elsewhere_and_the_plan_follows_the_new_file(plan_path, tmp_path):
    before = plan_path.read_bytes()
    target = tmp_path / "elsewhere" / "copy"
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        await go_to(pilot, "account")
        await type_text(pilot, " Nord")
        await pilot.press("ctrl+r")
        dialog = await wait_for_dialog(pilot, SaveAsDialog)
        await type_into(pilot, dialog.query_one("#saveas-path", Input), str(target))
        await pilot.press("enter")
        written = target.with_suffix(".toml")
        await wait_until(pilot, lambda: app.session.path == written and not app.dirty, what="the save as")
        assert disk_plan(written).account.name == "Distrib SA Nord"
        assert plan_path.read_bytes() == before  # the first file is left as it was
        await type_text(pilot, "!")
        await save(pilot)  # later saves go to the new file
        assert disk_plan(written).account.name == "Distrib SA Nord!"
        await pilot.pause()
        assert "copy.toml" in screen_text(app).splitlines()[0]
    assert plan_path.read_bytes() == before


async def test_a_failed_save_names_the_plan_and_says_to_save_as(plan_path, monkeypatch):
    import errno

    import kamtui.store.planfile as planfile_module

    def full_disk(path, data, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(path.parent / ".demo.toml.x1y2z3.tmp"))

    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        await go_to(pilot, "account")
        monkeypatch.setattr(planfile_module, "atomic_write", full_disk)
        await type_text(pilot, "X")
        await pilot.press("ctrl+s")
        await wait_for_workers(app, pilot)
        await wait_until(pilot, lambda: app._notifications, what="the message")
        (message,) = [n.message for n in app._notifications]
        assert message.startswith("Could not save demo.toml: the disk is full.") and "Save as (^r)" in message
        assert ".tmp" not in message
        assert app.is_running and app.dirty and app.session.plan.account.name == "Distrib SAX"


async def test_keys_typed_on_after_a_question_popped_up_never_close_the_plan(plan_path):
    """A recovery question pops up while the user types "Nord": its "r" answers it, the "d" that
    follows reaches the closing dialog and must do nothing (it used to close the plan screen too)."""
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        from kamtui.tui.dialogs.choice import ChoiceDialog as Choice

        answers: list[str | None] = []
        app.push_screen(Choice("t", "m", [("restore", "Restore", "r"), ("discard", "Discard", "d")]), answers.append)
        await wait_for_dialog(pilot, Choice)
        await type_text(pilot, "Nord")
        await pilot.pause()
        assert answers == ["restore"]
        assert isinstance(app.screen, PlanScreen) and app.is_running
