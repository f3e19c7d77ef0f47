"""F1 help at 80×24, in English and in French: in the screen, every key with its whole
description beside it (long ones wrapped in their own column), reached by scrolling with the keys."""

from __future__ import annotations

import pytest
from textual.containers import VerticalScroll
from tui_helpers import go_to, make_config, open_plan, plan_path, screen_text, wait_for_dialog, wait_until  # noqa: F401

from kamtui.tui.app import KamApp
from kamtui.tui.dialogs.help import HelpDialog
from kamtui.tui.i18n import set_lang


@pytest.fixture(autouse=True)
def english_again():
    yield
    set_lang("en")


async def read_help(pilot, dialog: HelpDialog) -> list[str]:
    """The help's lines as the user reads them, paging down with the keys to the end."""
    app = pilot.app
    body = dialog.query_one("#help-body", VerticalScroll)
    await wait_until(  # fitted to the screen (after its first layout)
        pilot,
        lambda: 0 < body.scrollable_content_region.height and body.region.bottom <= app.size.height,
        what="the help laid out in the screen",
    )
    rows: dict[int, str] = {}
    for _ in range(30):
        view = body.scrollable_content_region
        lines = screen_text(app).splitlines()
        for n in range(view.height):
            rows[round(body.scroll_y) + n] = lines[view.y + n][view.x : view.right]
        if body.scroll_y >= body.max_scroll_y:
            break
        before = body.scroll_y
        await pilot.press("pagedown")
        await wait_until(pilot, lambda before=before: body.scroll_y > before, what="the help scrolled")
    assert body.scroll_y == body.max_scroll_y, "the end of the help is reached with the keys"
    return [rows[n] for n in sorted(rows)]


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("section, focus", [("diagnostic", "#answer"), ("actions", "#actions-table")])
async def test_f1_help_fits_80x24_keys_and_descriptions_aligned(plan_path, lang, section, focus):
    config = make_config(plan_path.parent)
    config.lang = lang
    app = KamApp(path=plan_path, lang=lang, folder=plan_path.parent, config=config, watch_interval=3600.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_plan(pilot)
        screen = await go_to(pilot, section)
        screen.query_one(focus).focus()
        await pilot.pause()
        await pilot.press("f1")
        dialog = await wait_for_dialog(pilot, HelpDialog)
        box = dialog.query_one(".dialog")
        await wait_until(pilot, lambda: box.region.height > 0, what="the dialog")
        assert box.region.x >= 0 and box.region.right <= 80 and box.region.bottom <= 24  # borders in view
        lines = await read_help(pilot, dialog)
        # Each key at the start of a line, its description at one column for all; a description's
        # wrapped lines in that column, blank below the key: read back whole, nothing cut.
        width = min(max(len(keys) for keys, _ in dialog.lines), 24)
        column = width + 2
        read: list[list[str]] = []
        grid = dialog.query_one("#help-keys")
        assert grid.size.height < len(lines)  # the note after the keys, read too
        for line in lines[: grid.size.height]:
            keys, text = line[:width].strip(), line[column:].strip()
            assert line[width:column] == "  ", repr(line)  # the columns apart
            if keys:
                read.append([keys, text])
            elif text and read:
                read[-1][1] += " " + text
        expected = [[keys, " ".join(text.split())] for keys, text in dialog.lines]
        assert read[: len(expected)] == expected
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, HelpDialog), what="the help closed")
