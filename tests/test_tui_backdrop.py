"""The plan seen dimmed around a dialog: the same colours as Textual's own tint, drawn once per
dialog rather than at every move of the focus, and drawn again when the plan below changes (a
reload under an open dialog: tests/test_tui_session.py::test_reload_with_a_dialog_open)."""

from __future__ import annotations

from rich.segment import Segment
from textual.renderables.background_screen import BackgroundScreen
from tui_helpers import (
    SIZE,
    go_to,
    make_app,
    open_plan,
    plan_path,  # noqa: F401  (a fixture)
    wait_for_dialog,
)

from kamtui.tui.dialogs.base import Tint
from kamtui.tui.dialogs.editor import EditorDialog
from kamtui.tui.screens.plan import PlanScreen


def segments(renderable: BackgroundScreen, app) -> list[Segment]:
    return list(app.console.render(renderable, app.console.options.update_dimensions(*app.size)))


async def test_the_tint_is_textuals_style_for_style(plan_path):
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        await go_to(pilot, "actions")
        await pilot.press("e")
        dialog = await wait_for_dialog(pilot, EditorDialog)
        await pilot.pause()
        plan = app.screen_stack[-2]
        assert isinstance(plan, PlanScreen)
        color = dialog.styles.background
        assert 0 < color.a < 1  # the plan shows through
        theirs = segments(BackgroundScreen(plan, color), app)
        ours = segments(Tint(plan, color), app)
        assert len({segment.style for segment in theirs}) > 5  # a real screen, many styles
        assert ours == theirs


async def test_moving_the_focus_in_the_editor_keeps_the_drawn_backdrop(plan_path):
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        await go_to(pilot, "actions")
        await pilot.press("e")
        dialog = await wait_for_dialog(pilot, EditorDialog)
        await pilot.pause()
        drawn = dialog._backdrop
        assert drawn is not None
        first = app.focused
        assert first is not None and first.id == "f-title"  # the first field, at once
        for _ in range(3):
            await pilot.press("tab")
        await pilot.pause()
        assert app.focused is not first
        assert dialog._backdrop is drawn  # the same lines: not tinted again
        assert "Distrib SA" in "\n".join(strip.text for strip in drawn[1])
