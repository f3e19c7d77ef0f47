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
from textual.pilot import Pilot

from kamtui.model.plan import Plan
from kamtui.store.config import Config
from kamtui.store.planfile import PlanFile
from kamtui.tui.app import KamApp
from kamtui.tui.dialogs.choice import ChoiceDialog
from kamtui.tui.screens.home import HomeScreen
from kamtui.tui.screens.plan import PlanScreen

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


def make_app(path: Path | None, folder: Path | None = None, *, autosave: float = 0,
             watch_interval: float = NO_WATCH) -> KamApp:
    """The app in English on ``path`` (None: the home screen of ``folder``), autosave off by default."""
    folder = folder or (path.parent if path is not None else None)
    assert folder is not None
    return KamApp(path=path, lang="en", folder=folder, config=make_config(folder, autosave),
                  watch_interval=watch_interval)


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


async def wait_until(pilot: Pilot, condition: Callable[[], Any], timeout: float = 5.0,
                     what: str = "condition") -> Any:
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
    await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen), what="the plan screen")
    await wait_for_workers(app, pilot)
    await pilot.pause()
    return app.screen  # type: ignore[return-value]


async def wait_for_dialog(pilot: Pilot, kind: type = ChoiceDialog, timeout: float = 5.0) -> Any:
    return await wait_until(pilot, lambda: isinstance(pilot.app.screen, kind) and pilot.app.screen,
                            timeout=timeout, what=kind.__name__)


async def go_to(pilot: Pilot, name: str, how: str = "fkey") -> Any:
    """Show section ``name`` with its F-key or with ctrl+g then its digit; return the section widget."""
    _, fkey, digit = next(entry for entry in SECTION_KEYS if entry[0] == name)
    if how == "fkey":
        await pilot.press(fkey)
    else:
        await pilot.press("ctrl+g")
        await pilot.pause()
        await pilot.press(digit)
    screen = pilot.app.screen
    assert isinstance(screen, PlanScreen)
    await wait_until(pilot, lambda: screen.current == name and screen.section(name) is not None,
                     what=f"section {name}")
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


def home_screen(app: KamApp) -> HomeScreen:
    screen = app.screen
    assert isinstance(screen, HomeScreen)
    return screen
