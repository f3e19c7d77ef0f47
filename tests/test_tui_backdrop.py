"""Screens drawn once: the plan seen dimmed around a dialog has the same colours as Textual's own
tint, is drawn once per dialog rather than at every move of the focus, and again when the plan
below changes (a reload under an open dialog: tests/test_tui_session.py::
test_reload_with_a_dialog_open); a new screen is styled once, as it mounts."""

from __future__ import annotations

import pytest
from rich.segment import Segment
from textual.renderables.background_screen import BackgroundScreen
from tui_helpers import (
    SIZE,
    make_app,
    open_action_editor,
    open_plan,
    plan_path,  # noqa: F401  (a fixture)
    wait_for_dialog,
)

from kamtui.tui.dialogs.base import Tint
from kamtui.tui.dialogs.choice import ChoiceDialog
from kamtui.tui.screens.plan import PlanScreen


def segments(renderable: BackgroundScreen, app) -> list[Segment]:
    return list(app.console.render(renderable, app.console.options.update_dimensions(*app.size)))


async def test_the_tint_is_textuals_style_for_style(plan_path):
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_action_editor(pilot)
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
        dialog = await open_action_editor(pilot)
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


def styled(app) -> tuple[dict[int, str], list[list[Segment]]]:
    """Every widget's styles on the active screen, and what it draws (text and styles)."""
    screen = app.screen
    styles = {id(node): node.styles.css for node in screen.walk_children(with_self=True)}
    return styles, [list(strip) for strip in screen._compositor.render_strips()]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.parametrize("shown", ["plan", "editor", "question"])
async def test_a_new_screen_is_styled_right_without_restyling_it_when_shown(plan_path, shown, size):
    """The plan screen and the dialogs are styled as their widgets mount; kamtui skips the second
    styling Textual does when a new screen is first shown. Styling them again changes nothing."""
    app = make_app(plan_path)
    async with app.run_test(size=size) as pilot:
        if shown == "plan":
            await open_plan(pilot)
        else:
            await open_action_editor(pilot)
        if shown == "question":
            await pilot.press("x", "escape")  # a change, then Escape: discard it?
            await wait_for_dialog(pilot, ChoiceDialog)
        await pilot.pause()
        before = styled(app)
        # What Textual did on the first ScreenResume; drawn again at once (a cursor blinks, the git
        # state comes in: nothing may run in between).
        app.screen.update_node_styles(animate=False)
        assert styled(app) == before
