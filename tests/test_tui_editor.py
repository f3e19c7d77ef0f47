"""The item editor at the sizes KAMs have: inside the screen, every field and its buttons reached
with Tab, references chosen by name, required titles."""

from __future__ import annotations

import pytest
from textual.geometry import Region
from textual.widgets import Button, Input, Select, Static
from tui_helpers import (  # tests/ is on sys.path under pytest
    accept_editor,
    burst,
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
    wait_until,
)

from kamtui.tui.dialogs.editor import EditorDialog
from kamtui.tui.widgets.itemtable import ItemTable

# A table of each kind of item with a long form, and how to reach it.
EDITORS = [
    ("actions", "actions-table"),
    ("objectives", "objectives-table"),
    ("relationships", "stakeholders-table"),
    ("competition", "competitors-table"),
    ("diagnostic", "gaps-table"),
]


async def table_at_row(pilot, section_name: str, table_id: str, row: int = 0) -> ItemTable:
    """The table ``table_id`` of a section, focused, its cursor on ``row``."""
    section = await go_to(pilot, section_name)
    table = section.query_one(f"#{table_id}", ItemTable)
    await focus_row(pilot, table, row)
    return table


async def open_editor(pilot, section_name: str, table_id: str, row: int = 0) -> EditorDialog:
    await table_at_row(pilot, section_name, table_id, row)
    await pilot.press("e")
    dialog = await wait_for_dialog(pilot, EditorDialog)
    await pilot.pause()
    return dialog


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize(("section_name", "table_id"), EDITORS)
async def test_every_field_and_the_buttons_are_reached_inside_the_screen(plan_path, size, section_name, table_id):
    app = make_app(plan_path)
    async with app.run_test(size=size) as pilot:
        await open_plan(pilot)
        dialog = await open_editor(pilot, section_name, table_id)
        screen = Region(0, 0, *size)
        box = dialog.query_one(".dialog")
        assert screen.contains_region(box.region), (box.region, size)
        for button in dialog.query(Button):  # OK and Cancel seen at once, whatever the form's length
            assert screen.contains_region(button.region) and str(button.label) in screen_text(app)
        form = dialog.query_one("#editor-form")
        editors = list(form.query("Input, Select, TextArea, Checkbox"))
        seen = set()
        for _ in range(len(editors) + 3):
            await pilot.press("tab")
            await pilot.pause()
            focused = app.focused
            assert focused is not None
            seen.add(focused.id)
            if focused in editors:  # scrolled into view, inside the form and the screen
                await wait_until(
                    pilot, lambda f=focused: form.region.contains_region(f.region), what=f"{focused.id} seen"
                )
                assert screen.contains_region(focused.region)
        assert {e.id for e in editors} | {"ok", "cancel"} <= seen
        if size == (120, 40):  # the room is used: short fields two by two
            rows = {e.region.y for e in editors if not isinstance(e, Static)}
            assert len(rows) < len(editors)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, EditorDialog), what="closed")


async def test_enter_on_ok_accepts(plan_path):
    app = make_app(plan_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_plan(pilot)
        dialog = await open_editor(pilot, "actions", "actions-table")
        await type_text(pilot, " !")
        dialog.query_one("#ok", Button).focus()
        await pilot.pause()
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, EditorDialog), what="accepted")
        assert app.session.plan.actions[0].title.endswith(" !")


async def test_gap_whom_to_ask_is_chosen_by_name_and_stored_as_id(plan_path):
    app = make_app(plan_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_plan(pilot)
        # The first gap asks s-fsmeqz: its editor shows the person's name, not the id.
        dialog = await open_editor(pilot, "diagnostic", "gaps-table", row=0)
        ask = dialog.query_one("#f-ask", Input)
        assert ask.value == "Thomas Girard" and "s-fsmeqz" not in screen_text(app)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, EditorDialog), what="closed")
        # The second asks "Claire Martin", typed by hand: chosen from the stakeholders by name.
        dialog = await open_editor(pilot, "diagnostic", "gaps-table", row=1)
        ask = dialog.query_one("#f-ask", Input)
        ask.focus()
        await pilot.pause()
        await pilot.press("ctrl+u")  # clear the line
        await type_text(pilot, "sop")
        await pilot.press("right")  # take the suggestion
        await wait_until(pilot, lambda: ask.value == "Sophie Nguyen", what="the name completed")
        await accept_editor(pilot)
        assert app.session.plan.gaps[1].ask == "s-vsnnqe"
        # A name that is nobody in the plan is kept as typed (the format allows free text).
        dialog = await open_editor(pilot, "diagnostic", "gaps-table", row=2)
        ask = dialog.query_one("#f-ask", Input)
        ask.focus()
        await pilot.press("ctrl+u")
        await type_text(pilot, "the buyer's assistant")
        await accept_editor(pilot)
        assert app.session.plan.gaps[2].ask == "the buyer's assistant"
        await save(pilot)
    assert [g.ask for g in disk_plan(plan_path).gaps[1:3]] == ["s-vsnnqe", "the buyer's assistant"]


async def test_owner_is_suggested_from_the_team(plan_path):
    app = make_app(plan_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot)
        await table_at_row(pilot, "actions", "actions-table")
        await pilot.press("a")
        dialog = await wait_for_dialog(pilot, EditorDialog)
        await type_text(pilot, "Launch tasting")
        owner = dialog.query_one("#f-owner", Input)
        owner.focus()
        await pilot.pause()
        await type_text(pilot, "jul")
        await pilot.press("right")
        await wait_until(pilot, lambda: owner.value == "Julien M.", what="a team member")
        objective = dialog.query_one("#f-objective", Select)
        assert objective.selection is None or isinstance(objective.value, str)
        await accept_editor(pilot)
        added = [a for a in app.session.plan.actions if a.title == "Launch tasting"]
        assert len(added) == 1 and added[0].owner == "Julien M."


async def test_objective_with_empty_title_is_refused(plan_path):
    app = make_app(plan_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_plan(pilot)
        section = await go_to(pilot, "objectives")
        table = section.query_one("#objectives-table", ItemTable)
        count = len(app.session.plan.objectives)
        await focus_row(pilot, table, 0)
        await pilot.press("a")
        dialog = await wait_for_dialog(pilot, EditorDialog)
        await pilot.press("tab")  # away from the title, left empty
        await pilot.press("ctrl+s")
        error = dialog.query_one("#err-title", Static)
        await wait_until(pilot, lambda: error.has_class("shown"), what="the title marked")
        title = dialog.query_one("#f-title", Input)
        assert app.screen is dialog and len(app.session.plan.objectives) == count
        assert title.has_class("invalid") and app.focused is title
        assert "Required." in screen_text(app)
        await type_text(pilot, "Grow the organic range")
        await accept_editor(pilot)
        assert len(app.session.plan.objectives) == count + 1
        assert app.session.plan.objectives[1].title == "Grow the organic range"


async def test_action_with_blank_title_is_refused_when_edited(plan_path):
    app = make_app(plan_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot)
        dialog = await open_editor(pilot, "actions", "actions-table")
        title = dialog.query_one("#f-title", Input)
        before = app.session.plan.actions[0].title
        await pilot.press("ctrl+u")
        await type_text(pilot, "   ")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: title.has_class("invalid"), what="the title marked")
        assert app.screen is dialog and app.session.plan.actions[0].title == before


async def test_keys_typed_straight_after_enter_go_to_the_editor(plan_path):
    """Enter on a row, then letters at once, before the editor is up: they are typed into its
    first field. Before, they went to the table under it: a opened a second editor, d asked to
    delete the row."""
    app = make_app(plan_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot)
        await table_at_row(pilot, "competition", "competitors-table")
        before = [c.name for c in app.session.plan.competitors]
        await burst(pilot, "enter", "a", "d", "J")
        dialog = await wait_for_dialog(pilot, EditorDialog)
        name = dialog.query_one("#f-name", Input)
        await wait_until(pilot, lambda: name.value == before[0] + "adJ", what="the letters in the editor")
        assert len(app.screen_stack) == 2  # the plan and one editor: nothing opened under it
        assert [c.name for c in app.session.plan.competitors] == before  # nothing added, deleted, moved
        await burst(pilot, "ctrl+s", "J")  # saved, then J at once: the table's again (down)
        names = [before[1], before[0] + "adJ", *before[2:]]
        await wait_until(pilot, lambda: [c.name for c in app.session.plan.competitors] == names, what="moved")
        assert len(app.screen_stack) == 1
