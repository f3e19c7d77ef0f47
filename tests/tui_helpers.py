"""Helpers for the Pilot tests of the TUI: an app on a copy of the demo plan, waiting for it.

Every helper waits on a condition (with a deadline) rather than for a fixed time,
so the tests stay fast and do not depend on the machine's speed.
"""

from __future__ import annotations

import asyncio
import shutil
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.keys import _character_to_key
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, Select, TextArea

from kamtui.model.plan import Plan
from kamtui.store.config import Config
from kamtui.store.planfile import PlanFile
from kamtui.tui.app import KamApp
from kamtui.tui.dialogs.choice import ChoiceDialog
from kamtui.tui.dialogs.editor import EditorDialog
from kamtui.tui.screens.plan import PlanScreen
from kamtui.tui.widgets.itemtable import ItemTable

DEMO = Path(str(resources.files("kamtui.data").joinpath("demo.toml")))
SIZE = (120, 40)
NO_WATCH = 3600.0  # a watch interval that never fires during a test

# Sections in F-key order, with the digit that follows ctrl+g.
SECTION_KEYS = [
    ("account", "f2", "1"),
    ("diagnostic", "f3", "2"),
    ("market", "f4", "3"),
    ("competition", "f5", "4"),
    ("relationships", "f6", "5"),
    ("performance", "f7", "6"),
    ("objectives", "f8", "7"),
    ("actions", "f9", "8"),
    ("review", "f10", "9"),
]


def copy_demo(folder: Path, name: str = "demo.toml") -> Path:
    """A copy of the bundled demo plan in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    shutil.copyfile(DEMO, target)
    return target


def make_config(folder: Path, autosave: float = 0) -> Config:
    return Config(lang="en", plans_dir=folder, autosave_seconds=autosave)


def make_app(
    path: Path | None, folder: Path | None = None, *, autosave: float = 0, watch_interval: float = NO_WATCH
) -> KamApp:
    """The app in English on ``path`` (None: the home screen of ``folder``), autosave off by default."""
    folder = folder or (path.parent if path is not None else None)
    assert folder is not None
    return KamApp(
        path=path, lang="en", folder=folder, config=make_config(folder, autosave), watch_interval=watch_interval
    )


@pytest.fixture
def plan_path(tmp_path: Path) -> Path:
    """A copy of the demo plan, alone in its own folder."""
    return copy_demo(tmp_path / "plans")


async def wait_for_workers(app: KamApp, pilot: Pilot | None = None) -> None:
    """Let every running worker (load, save, recovery, scan...) finish, then let the UI catch up."""
    await app.workers.wait_for_complete()
    if pilot is not None:
        await pilot.pause()
    else:
        await asyncio.sleep(0)


async def wait_until(pilot: Pilot, condition: Callable[[], Any], timeout: float = 5.0, what: str = "condition") -> Any:
    """Pause until ``condition()`` is truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.02)


async def open_plan(pilot: Pilot) -> PlanScreen:
    """Wait until the plan given to the app is open on its plan screen."""
    app = pilot.app
    await wait_until(
        pilot,
        lambda: (
            isinstance(app.screen, PlanScreen)
            and app.screen.loaded
            and app.screen.section(app.screen.current) is not None
        ),
        what="the plan screen",
    )
    await wait_for_workers(app, pilot)
    await pilot.pause()
    return app.screen  # type: ignore[return-value]


async def wait_for_dialog(pilot: Pilot, kind: type = ChoiceDialog, timeout: float = 5.0) -> Any:
    """Wait until a dialog of class ``kind`` is the active screen; return it."""
    return await wait_until(
        pilot, lambda: isinstance(pilot.app.screen, kind) and pilot.app.screen, timeout=timeout, what=kind.__name__
    )


async def go_to(pilot: Pilot, name: str, how: str = "fkey") -> Any:
    """Show section ``name`` with its F-key or with ctrl+g then its digit; return the section widget."""
    _, fkey, digit = next(entry for entry in SECTION_KEYS if entry[0] == name)
    if how == "fkey":
        await pilot.press(fkey)
    else:
        await pilot.press("ctrl+g", digit)
    screen = pilot.app.screen
    assert isinstance(screen, PlanScreen)
    await wait_until(pilot, lambda: screen.current == name and screen.section(name) is not None, what=f"section {name}")
    await pilot.pause()
    return screen.section(name)


async def save(pilot: Pilot) -> None:
    """ctrl+s, then wait until the plan is saved."""
    app = pilot.app
    await pilot.press("ctrl+s")
    await wait_for_workers(app, pilot)
    await wait_until(pilot, lambda: app.save_state == "saved" and not app.dirty, what="saved")


def disk_plan(path: Path) -> Plan:
    """The plan as it is in the file now."""
    return PlanFile.load(path).plan


# --- forms, item tables and the item editor ------------------------------------


async def type_into(pilot: Pilot, widget: Any, text: str, replace: bool = True) -> None:
    """Focus an Input or TextArea and type ``text`` with the keyboard (replacing its text, or at its end)."""
    widget.focus()
    await pilot.pause()
    if isinstance(widget, TextArea):
        if replace:
            widget.select_all()
        else:
            widget.move_cursor(widget.document.end)
    elif isinstance(widget, Input):
        if replace:
            widget.select_all()
        else:
            widget.cursor_position = len(widget.value)
    if text:
        await type_text(pilot, text)
    elif replace:
        await pilot.press("backspace")


async def type_text(pilot: Pilot, text: str) -> None:
    """Type ``text`` as key presses (a newline is Enter), like Pilot.press but sent in one go and
    waited for once: the app handles them in order, as keys from a fast typist."""
    app = pilot.app
    driver = app._driver
    assert driver is not None
    for char in text:
        key = "enter" if char == "\n" else char
        if len(key) == 1 and not key.isalnum():
            key = _character_to_key(key)
        driver.send_message(events.Key(key, "\r" if char == "\n" else char))
    await pilot.pause()
    await pilot.pause()


async def burst(pilot: Pilot, *keys: str) -> None:
    """Keys as a terminal hands over a fast typist's: all at once, none waiting for the app (press()
    lets the app settle after each key)."""
    for key in keys:
        pilot.app.post_message(events.Key(key, key if len(key) == 1 else None))
    await pilot.pause()


async def choose(pilot: Pilot, select: Select, value: Any) -> None:
    """Pick ``value`` in a Select with the keyboard: open it, move to the option, Enter."""
    values = [v for _, v in select._options]
    select.focus()
    await pilot.pause()
    await pilot.press("enter")
    await wait_until(pilot, lambda: select.expanded, what="the select to open")
    moves = values.index(value) - values.index(select.value)
    await pilot.press(*(["down"] * moves if moves > 0 else ["up"] * -moves), "enter")
    await wait_until(pilot, lambda: not select.expanded and select.value == value, what=f"{value!r} chosen")
    await pilot.pause()


async def open_action_editor(pilot: Pilot) -> EditorDialog:
    """Open the plan, go to Actions (F9) and edit its first action (e); the editor, once drawn."""
    await open_plan(pilot)
    await go_to(pilot, "actions")
    await pilot.press("e")
    dialog = await wait_for_dialog(pilot, EditorDialog)
    await pilot.pause()
    return dialog


async def fill_editor(pilot: Pilot, dialog: EditorDialog, values: dict[str, Any]) -> None:
    """Set fields of the item editor: text for inputs and text areas, a value for selects."""
    for name, value in values.items():
        editor = dialog.query_one(f"#f-{name}")
        if isinstance(editor, Select):
            await choose(pilot, editor, value)
        elif isinstance(editor, Checkbox):
            if editor.value != value:
                editor.focus()
                await pilot.pause()
                await pilot.press("space")
                await wait_until(
                    pilot, lambda editor=editor, value=value: editor.value == value, what=f"{name} toggled"
                )
        else:
            await type_into(pilot, editor, value)


async def accept_editor(pilot: Pilot) -> None:
    """ctrl+s in the item editor: it must close."""
    assert isinstance(pilot.app.screen, EditorDialog)
    await pilot.press("ctrl+s")
    await wait_until(pilot, lambda: not isinstance(pilot.app.screen, EditorDialog), what="the editor to close")
    await pilot.pause()


async def focus_row(pilot: Pilot, table: ItemTable, row: int) -> None:
    table.focus()
    table.move_cursor(row=row)
    await pilot.pause()
    assert table.cursor_row == row


async def table_add(pilot: Pilot, table: ItemTable, values: dict[str, Any], after_row: int = 0) -> None:
    """Press a on a row of ``table``, fill the editor, accept: the new item goes after that row."""
    await focus_row(pilot, table, after_row)
    await pilot.press("a")
    dialog = await wait_for_dialog(pilot, EditorDialog)
    await fill_editor(pilot, dialog, values)
    await accept_editor(pilot)


async def table_edit(pilot: Pilot, table: ItemTable, row: int, values: dict[str, Any], key: str = "e") -> None:
    await focus_row(pilot, table, row)
    await pilot.press(key)
    dialog = await wait_for_dialog(pilot, EditorDialog)
    await fill_editor(pilot, dialog, values)
    await accept_editor(pilot)


async def table_delete(pilot: Pilot, table: ItemTable, row: int) -> None:
    """d on a row, then y in the confirmation."""
    await focus_row(pilot, table, row)
    await pilot.press("d")
    await wait_for_dialog(pilot, ChoiceDialog)
    await pilot.press("y")
    await wait_until(pilot, lambda: not isinstance(pilot.app.screen, ChoiceDialog), what="the confirmation to close")
    await pilot.pause()


async def table_move(pilot: Pilot, table: ItemTable, row: int, key: str) -> None:
    """K / J / shift+up / shift+down on a row."""
    await focus_row(pilot, table, row)
    await pilot.press(key)
    await pilot.pause()


def column(table: ItemTable, n: int = 0) -> list[str]:
    """The plain text of column ``n`` of every row shown."""
    return [str(table.get_row_at(row)[n]) for row in range(table.row_count)]


def cut_from(shown: str, text: str) -> bool:
    """True if a table cell ``shown`` is ``text``, or its start cut with … to the column's width."""
    return shown == text or (shown.endswith("…") and text.startswith(shown[:-1]))


def on_screen(app: KamApp, widget: Any) -> bool:
    """The whole widget is inside the screen and not scrolled out of its container."""
    region = widget.region
    width, height = app.size
    return (
        region.width > 0
        and region.height > 0
        and region.x >= 0
        and region.y >= 0
        and region.right <= width
        and region.bottom <= height
    )


def screen_text(app: KamApp) -> str:
    """What the active screen shows, as plain text lines."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())
