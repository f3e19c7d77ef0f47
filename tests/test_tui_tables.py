"""Item tables at the sizes KAMs have: the must-see columns of every table on screen, the detail
panel, the totals, and lists that behave while filtered."""

from __future__ import annotations

import pytest
from textual.widgets import Static
from tui_helpers import (  # tests/ is on sys.path under pytest
    SECTION_KEYS,
    column,
    cut_from,
    focus_row,
    go_to,
    make_app,
    on_screen,
    open_plan,
    plan_path,  # noqa: F401 - fixture
    screen_text,
    wait_until,
)

from kamtui.tui.screens.review import ReviewSection
from kamtui.tui.widgets.columns import PAD, Col, Importance, layout
from kamtui.tui.widgets.itemtable import ItemTable

# (section, table id, its must-see columns) — what a KAM must see of each table at every width.
MUST_SEE = [
    ("account", "team-table", ("name", "role")),
    ("diagnostic", "gaps-table", ("question", "ask", "resolved")),
    ("competition", "competitors-table", ("name", "trend", "impact", "wallet_share")),
    ("relationships", "stakeholders-table", ("name", "role", "influence", "attitude", "days")),
    ("relationships", "history-table", ("date", "tone", "event")),
    ("performance", "kpis-table", ("name", "latest", "target", "trend")),
    ("performance", "measures-table", ("kpi", "period", "target", "actual", "gap")),
    ("objectives", "objectives-table", ("title", "baseline", "actual", "target", "progress", "deadline", "status")),
    ("actions", "actions-table", ("title", "owner", "due", "status", "investment", "client_commitment")),
]

# At 80 columns the checklist folds to a one-line summary: the table gets the section's width. At
# 120 and 200 it stays on, beside. (The second value: whether to hide it with ctrl+t; never now.)
SIZES = [((80, 24), False), ((120, 40), False), ((200, 50), False)]


async def focus_table(pilot, table: ItemTable) -> None:
    """Tab until the table has the focus, as a user reaches it (the section scrolls to it)."""
    for _ in range(40):
        if pilot.app.focused is table:
            break
        await pilot.press("tab")
    assert pilot.app.focused is table
    await pilot.pause()


def count_builds(monkeypatch) -> dict[str, int]:
    """How many times each table (by id) is filled with its columns and rows."""
    builds: dict[str, int] = {}
    build = ItemTable._build

    def counted(self, *args):
        builds[self.id] = builds.get(self.id, 0) + 1
        return build(self, *args)

    monkeypatch.setattr(ItemTable, "_build", counted)
    return builds


def assert_built_once(section, builds: dict[str, int], beside: bool) -> None:
    """A section built when first shown knows its width from the section shown before: each of its
    tables was filled once, with the columns (and the detail panel beside it or below) of the width
    it got; it was filled at the terminal's width, then again after its first layout."""
    for table in section.query(ItemTable):
        assert builds[table.id] == 1, (table.id, builds[table.id])
        assert table.size.width > 0 and table._layout() == table._shown  # its width's columns
        assert table.parent.has_class("beside") == beside


@pytest.mark.parametrize(("size", "hide_checklist"), SIZES, ids=["80x24", "120x40", "200x50"])
async def test_every_section_at_the_sizes_kams_have(plan_path, monkeypatch, size, hide_checklist):
    """A walk through the sections with their F-keys, at the sizes KAMs have: each opens with its
    heading in view and its focus, the tab line fits; each table, built once at its width, shows
    its must-see columns, its rows on screen as the cursor moves."""
    builds = count_builds(monkeypatch)
    review_layouts: list[int] = []
    lay_out = ReviewSection.lay_out
    monkeypatch.setattr(ReviewSection, "lay_out", lambda self: (review_layouts.append(1), lay_out(self))[1])
    app = make_app(plan_path)
    async with app.run_test(size=size) as pilot:
        screen = await open_plan(pilot)
        # The first section shown (the review) is built for the width it gets, worked out before
        # anything is laid out: its text is wrapped once, not at a guess then again.
        review = screen.section("review")
        assert review.width_hint == review.content_width() and len(review_layouts) == 1
        if hide_checklist:
            await pilot.press("ctrl+t")
            await wait_until(pilot, lambda: not app.screen.query_one("#checklist").display, what="checklist hidden")
        for section_name, key, _digit in SECTION_KEYS:
            first_visit = screen.section(section_name) is None
            section = await go_to(pilot, section_name)
            await pilot.pause()
            if section_name == "review":  # one text, its title on top
                assert section.scroll_offset.y == 0 and "Distrib SA" in screen_text(app)
            else:
                assert on_screen(app, section.query(".heading").first()), section_name
                assert app.focused is None or section in app.focused.ancestors_with_self
            tabs = screen_text(app).splitlines()[1]
            assert len(tabs.rstrip()) <= size[0] and key.upper() in tabs
            if first_visit:
                assert_built_once(section, builds, beside=False)
            for table_id, must in [(table_id, must) for name, table_id, must in MUST_SEE if name == section_name]:
                table = section.query_one(f"#{table_id}", ItemTable)
                await focus_table(pilot, table)
                await wait_until(pilot, lambda table=table: table.row_count > 0 and table.columns, what=table_id)
                shown = table.shown_columns()
                assert set(must) <= set(shown), (size, table_id, shown)
                assert table.max_scroll_x == 0, (size, table_id, "scrolls sideways")
                for row in range(min(2, table.row_count)):
                    table.move_cursor(row=row)
                    await pilot.pause()
                    cells = {name: str(table.get_row_at(row)[shown.index(name)]) for name in must}
                    item = table.items[[i.uid for i in table.items].index(table.current_uid())]
                    main = next(col for col in table.columns_spec if col.main)
                    full = main.get(item)
                    assert cut_from(cells[main.name], str(getattr(full, "plain", full)).split("\n")[0])
                    # A line on screen holds every must-see cell of the row, as the table shows it.
                    texts = [text.strip() for text in cells.values()]
                    await wait_until(  # the row under the cursor is scrolled into view
                        pilot,
                        lambda texts=texts: any(
                            all(t in line for t in texts) for line in screen_text(app).splitlines()
                        ),
                        what=f"{size} {table_id} {texts}",
                    )


async def test_columns_follow_the_width_and_cells_are_not_capped(plan_path):
    app = make_app(plan_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot)
        section = await go_to(pilot, "actions")
        table = section.query_one("#actions-table", ItemTable)
        title = app.session.plan.actions[1].title  # 63 characters: once cut at 36
        assert len(title) > 36 and cut_from(str(table.get_row_at(1)[0]), title)
        assert "objective" not in table.shown_columns()
        await pilot.resize_terminal(200, 50)
        await wait_until(pilot, lambda: len(str(table.get_row_at(1)[0])) > 36, what="a wider title at 200")
        assert cut_from(str(table.get_row_at(1)[0]), title) and str(table.get_row_at(1)[0]) in screen_text(app)
        await pilot.press("ctrl+t")  # the checklist hidden: the table gets its room
        await wait_until(pilot, lambda: str(table.get_row_at(1)[0]) == title, what="the whole title")
        assert "objective" in table.shown_columns() and title in screen_text(app)
        await pilot.resize_terminal(80, 24)
        await wait_until(pilot, lambda: "objective" not in table.shown_columns(), what="fewer columns at 80")
        assert str(table.get_row_at(1)[0]) != title


async def test_a_table_measures_its_cells_once_per_change_of_rows(plan_path, monkeypatch):
    """The columns' natural widths are measured when the rows change, not at each resize (a
    section shown again resizes its tables: 12 ms for 1,000 actions); a new width still lays the
    columns out again, and an edit measures the new cells."""
    from kamtui.tui.widgets import itemtable

    measured: list[int] = []
    real = itemtable.natural_widths
    monkeypatch.setattr(itemtable, "natural_widths", lambda *a: measured.append(1) or real(*a))
    app = make_app(plan_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot)
        await go_to(pilot, "account")  # built (its team table measured)
        section = await go_to(pilot, "actions")
        table = section.query_one("#actions-table", ItemTable)
        shown = table.shown_columns()
        measured.clear()
        await go_to(pilot, "account")
        await go_to(pilot, "actions")  # shown again: resized from nothing
        await pilot.resize_terminal(200, 50)
        await wait_until(pilot, lambda: table.shown_columns() != shown, what="more columns at 200")
        assert measured == []
        await focus_row(pilot, table, 0)
        await pilot.press("J")  # an edit: the rows are read again
        await wait_until(pilot, lambda: measured, what="the cells measured again")


async def test_right_scrolls_a_column_at_a_time(plan_path):
    app = make_app(plan_path)
    async with app.run_test(size=(56, 24)) as pilot:  # a narrow pane: the table is wider than it
        await open_plan(pilot)
        section = await go_to(pilot, "actions")
        table = section.query_one("#actions-table", ItemTable)
        assert app.focused is table and table.max_scroll_x > 0
        await pilot.press("right")
        await wait_until(pilot, lambda: table.scroll_x > 0, what="scrolled")
        first = table.scroll_x
        assert first > 5  # the width of the first column, not one character
        await pilot.press("right")
        await wait_until(pilot, lambda: table.scroll_x > first or table.scroll_x == table.max_scroll_x)
        await pilot.press("left", "left")
        await wait_until(pilot, lambda: table.scroll_x == 0, what="back left")


async def test_detail_panel_follows_the_cursor(plan_path):
    app = make_app(plan_path)
    async with app.run_test(size=(200, 50)) as pilot:
        await open_plan(pilot)
        section = await go_to(pilot, "actions")
        table = section.query_one("#actions-table", ItemTable)
        detail = section.query_one("#actions-table-detail", Static)
        await pilot.press("ctrl+t")  # 200 columns without the checklist: the panel goes beside
        commitment = app.session.plan.actions[0].client_commitment
        await wait_until(pilot, lambda: detail.display and detail.region.width > 0, what="the panel beside")
        assert detail.region.x > table.region.x  # beside the table at 200 columns
        words = commitment.split()[-3:]  # the end of a long text, wrapped: none of it cut
        await wait_until(pilot, lambda: all(w in screen_text(app) for w in words), what="the whole commitment")
        await pilot.press("down")
        second = app.session.plan.actions[1]
        await wait_until(pilot, lambda: second.client_commitment.split()[-1] in screen_text(app), what="next item")
        await pilot.resize_terminal(120, 40)
        await wait_until(pilot, lambda: detail.region.y > table.region.y, what="the panel below")
        assert second.title in screen_text(app)
        # Below, it is there while its table has the focus: in the next section shown too.
        performance = await go_to(pilot, "performance")
        kpis = performance.query_one("#kpis-table", ItemTable)
        await wait_until(pilot, lambda: app.focused is kpis, what="the KPI table focused")
        name = app.session.plan.kpis[0].name
        await wait_until(pilot, lambda: f"Name: {name}" in screen_text(app), what="the KPI's detail")
        await pilot.press("tab")  # to the measures table: its panel now, not the KPIs'
        await wait_until(pilot, lambda: f"Name: {name}" not in screen_text(app), what="the KPI's detail gone")


def test_layout_keeps_the_must_see_columns_and_gives_the_rest_to_the_main_one():
    cols = [
        Col("title", "t", str, width=30, least=10, main=True),
        Col("owner", "o", str, width=12, least=6),
        Col("note", "n", str, width=40, least=12),
        Col("extra", "x", str, width=8),
    ]
    must = Importance(("title", "owner"), ("extra", "note"))
    natural = [50, 12, 40, 8]
    wide = dict(layout(cols, must, natural, 200))
    assert wide == {0: 200 - 12 - 40 - 8 - 4 * PAD, 1: 12, 2: 40, 3: 8}  # the title takes the rest
    narrow = dict(layout(cols, must, natural, 60))
    assert set(narrow) == {0, 1, 3} and sum(w + PAD for w in narrow.values()) <= 60  # "note" left out
    tiny = dict(layout(cols, must, natural, 20))  # squeezed to their least, never left out
    assert tiny == {0: 10, 1: 6}
    assert [n for n, _ in layout(cols, must, natural, 100)] == [0, 1, 2, 3]  # in their declared order


async def test_actions_totals_and_filtered_count(plan_path):
    app = make_app(plan_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot)
        section = await go_to(pilot, "actions")
        summary = section.query_one("#actions-summary", Static)
        text = str(summary.render())
        assert text.startswith("10 actions") and "154 000 EUR" in text and "10 client commitments" in text
        await pilot.press("f")  # status: to do
        todo = [a for a in app.session.plan.actions if a.status == "todo"]
        invested = sum(a.investment or 0 for a in todo)
        await wait_until(pilot, lambda: str(summary.render()).startswith(f"{len(todo)} of 10 actions"))
        assert f"{invested:,.0f}".replace(",", " ") + " EUR" in str(summary.render())
        assert f"{len(todo)} of 10 actions" in screen_text(app)


async def test_move_while_filtered_passes_visible_neighbours_only(plan_path):
    app = make_app(plan_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot)
        section = await go_to(pilot, "actions")
        table = section.query_one("#actions-table", ItemTable)
        await pilot.press("o")  # owner: Fabienne B. (actions 0, 4, 8, 9 of the plan)
        ids = [a.id for a in app.session.plan.actions]
        mine = [a.id for a in app.session.plan.actions if a.owner == "Fabienne B."]
        assert table.row_count == len(mine) == 4
        await focus_row(pilot, table, 0)
        await pilot.press("J")
        await wait_until(pilot, lambda: [a.id for a in app.session.plan.actions] != ids, what="moved")
        order = [a.id for a in app.session.plan.actions]
        # Right after its visible neighbour, the hidden ones between them passed too; the others stay.
        assert order.index(mine[0]) == order.index(mine[1]) + 1
        assert [i for i in order if i != mine[0]] == [i for i in ids if i != mine[0]]
        assert table.cursor_row == 1 and table.current_uid() == app.session.plan.actions[order.index(mine[0])].uid
        await pilot.press("K")  # and back up past the same neighbour, only: just before it
        await wait_until(pilot, lambda: [a.id for a in app.session.plan.actions] != order, what="moved back")
        again = [a.id for a in app.session.plan.actions]
        assert again.index(mine[0]) == again.index(mine[1]) - 1 and table.cursor_row == 0


async def test_clearing_the_filter_keeps_the_cursor_on_the_item(plan_path):
    app = make_app(plan_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot)
        section = await go_to(pilot, "actions")
        table = section.query_one("#actions-table", ItemTable)
        await pilot.press("f")  # to do
        await focus_row(pilot, table, 2)
        uid = table.current_uid()
        plan_row = [a.uid for a in app.session.plan.actions].index(uid)
        assert plan_row != 2
        await pilot.press("f", "f", "f", "f", "f")  # doing, blocked, done, dropped, none
        await wait_until(pilot, lambda: table.row_count == 10, what="the filter cleared")
        assert table.current_uid() == uid and table.cursor_row == plan_row


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_a_long_gap_is_shown_whole_in_its_detail_panel(plan_path, size):
    app = make_app(plan_path)
    async with app.run_test(size=size) as pilot:
        await open_plan(pilot)
        section = await go_to(pilot, "diagnostic")
        table = section.query_one("#gaps-table", ItemTable)
        await focus_table(pilot, table)
        await pilot.press("down", "down", "down")  # the fourth gap: its question is cut in the table
        await wait_until(pilot, lambda: table.cursor_row == 3, what="the fourth gap")
        gap = app.session.plan.gaps[3]
        cell = str(table.get_row_at(3)[table.shown_columns().index("question")])
        assert cell != gap.question and cut_from(cell, gap.question)

        # The panel below the table: the whole question (wrapped at 80), whom to ask by name.
        def panel() -> str:
            return " ".join(" ".join(line.strip(" ▌▐│▎") for line in screen_text(app).splitlines()).split())

        await wait_until(pilot, lambda: gap.question in panel(), what=f"the whole question in {panel()}")
        assert "Whom to ask: Élodie Moreau" in screen_text(app)


async def test_narrow_columns_show_their_short_header_whole(plan_path):
    app = make_app(plan_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_plan(pilot)
        section = await go_to(pilot, "actions")
        table = section.query_one("#actions-table", ItemTable)
        headers = [str(col.label) for col in table.columns.values()]
        assert headers == ["Title", "Due", "Status", "Owner", "Invest.", "Commitment"]
        assert "Invest." in screen_text(app) and "Commitment" in screen_text(app)
        section = await go_to(pilot, "relationships")
        table = section.query_one("#stakeholders-table", ItemTable)
        await wait_until(pilot, lambda: table.columns, what="the stakeholders' columns")
        assert "Influence" in [str(col.label) for col in table.columns.values()]
        assert not any("…" in str(col.label) for col in table.columns.values())


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_demo_shows_kpi_trends_in_performance(plan_path, size):
    """The demo has KPIs with several actuals: F7 shows their trend (sparkline and arrow) in the
    table, at 80 columns too (the issue: no KPI with two actuals, no trend ever shown)."""
    app = make_app(plan_path)
    async with app.run_test(size=size) as pilot:
        await open_plan(pilot)
        section = await go_to(pilot, "performance")  # F7
        table = section.query_one("#kpis-table", ItemTable)
        await wait_until(pilot, lambda: table.row_count > 0 and "trend" in table.shown_columns(), what="the trends")
        trends = column(table, table.shown_columns().index("trend"))
        with_arrow = [trend for trend in trends if trend.strip().endswith(("↗", "↘", "→"))]
        assert len(with_arrow) >= 2, trends
        text = screen_text(app)
        assert all(trend.strip() in text for trend in with_arrow)


async def test_objectives_status_is_whole_at_80_columns(plan_path):
    """Tried at 80×24: the status of an objective read "on tra…", "off tr…" (a must-see column)."""
    app = make_app(plan_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_plan(pilot)
        section = await go_to(pilot, "objectives")
        table = section.query_one("#objectives-table", ItemTable)
        await wait_until(pilot, lambda: table.row_count == 4, what="the objectives")
        statuses = column(table, table.shown_columns().index("status"))
        assert statuses == ["on track", "on track", "at risk", "off track"]
        lines = screen_text(app).splitlines()
        for row, status in enumerate(statuses):
            assert any(line.rstrip().endswith(status) for line in lines if str(table.get_row_at(row)[0]) in line)


async def test_a_table_beside_its_detail_panel_is_built_once_at_its_width(plan_path, monkeypatch):
    """At 200 columns with the checklist hidden, the detail panel sits beside each table: a section
    shown for the first time places it there before its tables are filled (each filled once)."""
    builds = count_builds(monkeypatch)
    app = make_app(plan_path)
    async with app.run_test(size=(200, 50)) as pilot:
        await open_plan(pilot)
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: not app.screen.query_one("#checklist").display, what="checklist hidden")
        for section_name in dict.fromkeys(name for name, _, _ in MUST_SEE):
            section = await go_to(pilot, section_name)
            await pilot.pause()
            assert_built_once(section, builds, beside=True)
