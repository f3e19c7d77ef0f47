"""The home screen's roll-up (SPEC §6): the figures of ``kamtui portfolio`` per plan and in
total, a broken plan listed with its error, the columns that fit the width; and the caches
naming a file as it is reached now."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import TODAY
from textual.widgets import DataTable, Static
from tui_helpers import burst, copy_demo, make_app, screen_text, wait_until

from kamtui.model.questions import load_bank
from kamtui.report import rollup as ru
from kamtui.store import portfolio
from kamtui.tui.screens.home import COLUMNS, HomeScreen
from kamtui.tui.screens.plan import PlanScreen

BROKEN = "schema = 1\n[account\nname = 'x'\n"


@pytest.fixture
def folder(tmp_path: Path, complete_text: str) -> Path:
    plans = tmp_path / "plans"
    copy_demo(plans, "distrib.toml")
    (plans / "complete.toml").write_text(complete_text, "utf-8")
    (plans / "broken.toml").write_text(BROKEN, "utf-8")
    return plans


async def home_of(pilot, rows: int) -> tuple[HomeScreen, DataTable]:
    screen = pilot.app.screen
    assert isinstance(screen, HomeScreen)
    table = screen.query_one("#plans", DataTable)
    await wait_until(pilot, lambda: table.row_count == rows and len(screen.summaries) == rows, what="plans listed")
    await pilot.pause()
    return screen, table


def row_of(table: DataTable, n: int) -> dict[str, str]:
    keys = [str(column.key.value) for column in table.ordered_columns]
    return dict(zip(keys, (str(c) for c in table.get_row_at(n)), strict=True))


async def test_home_shows_the_roll_up_figures_of_every_plan_and_the_totals(folder):
    expected = ru.rollup(folder, load_bank(), TODAY, use_cache=False)
    by_path = {p.path: p for p in expected.plans}
    app = make_app(None, folder)
    async with app.run_test(size=(200, 50)) as pilot:
        screen, table = await home_of(pilot, 3)
        assert tuple(str(c.key.value) for c in table.ordered_columns) == COLUMNS  # all of them, wide
        rows = [row_of(table, n) for n in range(3)]
        assert [r["file"] for r in rows] == ["broken.toml", "complete.toml", "distrib.toml"]
        for row, shown in zip(rows[1:], screen.summaries[1:], strict=True):
            p = by_path[shown.path]
            assert row["account"] == p.account and row["kam"] == p.kam
            assert row["complete"] == f"{p.completeness} %" and row["unanswered"] == str(p.unanswered)
            assert row["overdue"] == str(p.overdue(TODAY))
            counts = p.objectives
            assert row["objectives"] == f"{counts['on-track']}/{counts['at-risk']}/{counts['off-track']}"
        demo = rows[2]  # hand-checked against the demo plan too
        assert (demo["complete"], demo["unanswered"], demo["overdue"], demo["objectives"]) == (
            "78 %",
            "4",
            "3",
            "2/1/1",
        )
        assert demo["asked"] == "154,000\u00a0EUR" and demo["matched"] == "100%"
        assert rows[1]["asked"] == "—" and rows[1]["overdue"] == "0"
        # The broken plan: listed, with its error.
        assert rows[0]["account"].startswith("⚠ unreadable: invalid TOML")
        broken = next(p for p in expected.plans if not p.readable)
        table.focus()
        table.move_cursor(row=0)
        await pilot.pause()
        detail = str(screen.query_one("#home-detail", Static).render())
        assert broken.error in detail.replace("\n", "")
        tot = expected.totals
        totals = " ".join(str(screen.query_one("#home-totals", Static).render()).split())
        assert f"plans: {tot.plans}" in totals and f"{tot.completeness} % complete" in totals
        assert f"{tot.unanswered} unanswered" in totals and f"{tot.overdue} overdue" in totals
        on, risk, off = (tot.objectives[s] for s in ru.TRACKS)
        assert f"objectives {on} on track, {risk} at risk, {off} off track" in totals
        assert "asked 154,000 EUR" in totals.replace("\u00a0", " ") and "1 unreadable" in totals


@pytest.mark.parametrize(
    ("size", "dropped"),
    [((80, 24), {"kam", "file", "changed", "period", "asked"}), ((120, 40), {"kam", "file"}), ((200, 50), set())],
)
async def test_home_drops_the_less_important_columns_when_narrow(folder, size, dropped):
    app = make_app(None, folder)
    async with app.run_test(size=size) as pilot:
        screen, table = await home_of(pilot, 3)
        keys = [str(c.key.value) for c in table.ordered_columns]
        assert set(COLUMNS) - set(keys) == dropped
        width = sum(c.get_render_width(table) for c in table.ordered_columns)
        assert width <= size[0]
        text = screen_text(app)
        for heading in ("Account", "Complete", "Unanswered", "Overdue", "On/risk/off", "Matched", "Total"):
            assert heading in text, heading


async def test_home_moves_the_columns_when_the_terminal_is_resized(folder):
    app = make_app(None, folder)
    async with app.run_test(size=(200, 50)) as pilot:
        screen, table = await home_of(pilot, 3)
        assert len(table.ordered_columns) == len(COLUMNS)
        await pilot.resize_terminal(80, 24)
        await wait_until(pilot, lambda: "asked" not in screen.columns, what="narrow columns")
        assert table.row_count == 3


def test_cached_errors_name_the_file_as_it_is_reached_now(tmp_path, monkeypatch):
    """A plan with an error, summed up from a relative folder, then from its absolute path:
    the cached error names the file as reached now (it named it as first typed)."""
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "broken.toml").write_text(BROKEN, "utf-8")
    (plans / "warn.toml").write_text('schema = 1\n[account]\nname = "W"\nperiod_start = "soon"\n', "utf-8")
    monkeypatch.chdir(tmp_path)
    bank = load_bank()
    first = ru.plan_figures(Path("plans"), bank)
    assert all(p.error.startswith("plans/") for p in first)
    listed = portfolio.portfolio(Path("plans"), bank)
    assert listed[0].error.startswith("plans/broken.toml")

    def not_again(*args):
        raise AssertionError("read again: the cache was not used")

    monkeypatch.setattr(ru, "_read", not_again)
    monkeypatch.setattr(portfolio, "summarise", not_again)
    again = ru.plan_figures(plans, bank)
    assert [p.error.split(":")[0] for p in again] == [str(plans / "broken.toml"), str(plans / "warn.toml")]
    listed = portfolio.portfolio(plans, bank)
    assert listed[0].error.startswith(str(plans / "broken.toml"))
    state = Path(os.environ["KAMTUI_HOME"])
    caches = [json.loads(p.read_text("utf-8")) for p in state.rglob("*-cache.json")]
    assert len(caches) == 2 and all(len(c["plans"]) == 2 for c in caches)


async def test_keys_typed_straight_after_enter_go_to_the_plan_opened(tmp_path):
    """Enter on a plan, then d at once: the plan opens and the key is the plan's. Before, the key
    reached the list first: d asked whether to delete the plan being opened."""
    path = copy_demo(tmp_path / "plans", "distrib.toml")
    app = make_app(None, path.parent)
    async with app.run_test(size=(120, 40)) as pilot:
        await home_of(pilot, 1)
        await burst(pilot, "enter", "d")
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen) and app.screen.loaded, what="the plan")
        await pilot.pause(0.1)
        assert [type(s).__name__ for s in app.screen_stack] == ["HomeScreen", "PlanScreen"]  # no question
        assert path.exists()
