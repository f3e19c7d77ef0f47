"""Dialogs fit the terminal: a long message (the difference after a `git pull`) keeps its box and
its Close button on screen at 80×24, and closes with the key."""

from __future__ import annotations

import re

import pytest
from textual.geometry import Region
from tui_helpers import copy_demo, make_app, open_action_editor, open_plan, screen_text, wait_for_dialog, wait_until

from kamtui.tui.dialogs.choice import ChoiceDialog, MessageDialog
from kamtui.tui.screens.plan import PlanScreen


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_long_difference_fits_with_its_close_button(tmp_path, size):
    path = copy_demo(tmp_path / "plans")
    app = make_app(path, watch_interval=0.2)
    async with app.run_test(size=size) as pilot:
        await open_plan(pilot)
        text = path.read_text("utf-8")
        # Someone else renamed every action: a difference of 10 long lines, wrapped at 80 columns.
        count = iter(range(100))
        pulled = re.sub(
            r'(\[\[actions\]\]\nid = "[^"]+"\ntitle = ")', lambda m: f"{m.group(1)}Renamed {next(count)} ", text
        )
        assert pulled != text
        path.write_text(pulled, "utf-8")
        await wait_for_dialog(pilot, ChoiceDialog)
        await pilot.press("d")
        dialog = await wait_for_dialog(pilot, MessageDialog)
        await pilot.pause()
        screen = Region(0, 0, *size)
        box = dialog.query_one(".dialog").region
        close = dialog.query_one("#close").region
        assert screen.contains_region(box), (box, size)
        assert close.height and screen.contains_region(close), (close, size)
        assert "Renamed 0" in screen_text(app)
        await pilot.press("enter")  # Close has the focus
        await wait_for_dialog(pilot, ChoiceDialog)
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen), what="reloaded")


def field_widths(monkeypatch) -> dict[str, set[int]]:
    """The widths each field of a form is laid out at (by the field's id)."""
    from textual.widget import Widget

    widths: dict[str, set[int]] = {}
    size_updated = Widget._size_updated

    def recorded(self, size, *args, **kwargs):
        if self.has_class("field"):
            widths.setdefault(str(self.id), set()).add(size.width)
        return size_updated(self, size, *args, **kwargs)

    monkeypatch.setattr(Widget, "_size_updated", recorded)
    return widths


def assert_one_width(dialog, widths: dict[str, set[int]]) -> None:
    """The item editor's form keeps room for its scrollbar: when its fields turn out taller than
    the form, the scrollbar that appears takes no width from them. Every field was laid out and
    drawn a second time, two columns narrower (a third of the editor's opening CPU)."""
    assert dialog.query_one("#editor-form").max_scroll_y > 0  # taller than the form: it scrolls
    assert widths and all(len(seen) == 1 for seen in widths.values()), widths


async def test_the_editor_follows_the_terminal_size_while_open(tmp_path, monkeypatch):
    """Made before its fields are styled for the screen it opens on, the editor still refits when
    the terminal changes: one line per field on a short screen, framed fields on a tall one."""
    widths = field_widths(monkeypatch)
    path = copy_demo(tmp_path / "plans")
    app = make_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await open_action_editor(pilot)
        await pilot.pause()
        assert_one_width(dialog, widths)
        fields = list(dialog.query("#editor-form Input, #editor-form Select, #editor-form TextArea"))
        assert fields and not dialog.has_class("small") and dialog.has_class("two")
        assert not any(field.compact for field in fields)
        await pilot.resize_terminal(80, 24)
        await wait_until(pilot, lambda: dialog.has_class("small"), what="the short layout")
        assert all(field.compact for field in fields) and not dialog.has_class("two")
        assert Region(0, 0, 80, 24).contains_region(dialog.query_one("#cancel").region)
        await pilot.resize_terminal(120, 40)
        await wait_until(pilot, lambda: not dialog.has_class("small"), what="the tall layout")
        assert not any(field.compact for field in fields)
        # The plan below followed too: closed at 80x24, the editor leaves a narrow plan screen.
        await pilot.resize_terminal(80, 24)
        await wait_until(pilot, lambda: dialog.has_class("small"), what="the short layout")
        await pilot.press("escape")
        plan = await wait_for_dialog(pilot, PlanScreen)
        await pilot.pause()
        assert plan.has_class("-narrow") and plan.region == Region(0, 0, 80, 24)


async def test_the_editor_opens_compact_on_a_short_screen(tmp_path, monkeypatch):
    widths = field_widths(monkeypatch)
    path = copy_demo(tmp_path / "plans")
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_action_editor(pilot)
        await pilot.pause()
        assert_one_width(dialog, widths)
        assert dialog.has_class("small")
        fields = list(dialog.query("#editor-form Input, #editor-form Select, #editor-form TextArea"))
        assert fields and all(field.compact for field in fields)
        assert app.focused is fields[0]
