"""SVG snapshots of the home screen and the diagnostic, actions and relationships sections.

Update them with ``pytest tests/test_tui_snapshots.py --snapshot-update`` and look at the SVG
files under tests/__snapshots__/ before keeping them.

What the app shows relative to today (overdue actions, days since contact, the date of the
last change of a file) is pinned: the screens get a fixed "today", the plan files a fixed
mtime, and the plans folder is shown by a relative path.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest
import pytest_textual_snapshot
from tui_helpers import SIZE, copy_demo, go_to, make_app, open_plan, wait_until

# The plugin names its files with syrupy's old attribute (``_file_extension``): without this they
# end in .raw with the syrupy in use. Same content, an .svg name that viewers understand.
pytest_textual_snapshot.SVGImageExtension.file_extension = "svg"

TODAY = dt.date(2026, 11, 20)
MTIME = time.mktime(dt.datetime(2026, 11, 19, 17, 45).timetuple())  # shown in local time: always 17:45


@pytest.fixture
def frozen(monkeypatch, tmp_path) -> Path:
    """A fixed today for the screens, the plans folder as ``plans`` (relative), its files dated."""
    monkeypatch.setenv("KAMTUI_TODAY", TODAY.isoformat())
    monkeypatch.chdir(tmp_path)
    path = copy_demo(Path("plans"), "distrib-sa-2026-2027.toml")
    os.utime(path, (MTIME, MTIME))
    return path


def test_home_screen(snap_compare, frozen):
    app = make_app(None, Path("plans"))

    async def run_before(pilot) -> None:
        screen = app.screen
        await wait_until(pilot, lambda: screen.query_one("#plans").row_count == 1, what="the plan listed")

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("size", [(80, 24), SIZE], ids=lambda s: f"{s[0]}x{s[1]}")
def test_diagnostic_section(snap_compare, frozen, size):
    app = make_app(frozen)

    async def run_before(pilot) -> None:
        await open_plan(pilot)
        answer = (await go_to(pilot, "diagnostic")).query_one("#answer")
        answer.cursor_blink = False  # the cursor is drawn, always
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [(80, 24), SIZE], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("section", ["actions", "relationships"])
def test_table_section(snap_compare, frozen, section, size):
    app = make_app(frozen)

    async def run_before(pilot) -> None:
        await open_plan(pilot)
        await go_to(pilot, section)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
