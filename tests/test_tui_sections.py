"""Every plan section through the keyboard (SPEC §4): reach it by its F-key and by ctrl+g then
its digit, edit its fields and tables, save with ctrl+s; the edit is in memory and in the file."""

from __future__ import annotations

import datetime as dt

from conftest import TODAY
from textual.widgets import Input, Static, TextArea
from tui_helpers import (  # tests/ is on sys.path under pytest
    SIZE,
    accept_editor,
    burst,
    choose,
    column,
    cut_from,
    disk_plan,
    fill_editor,
    focus_row,
    go_to,
    make_app,
    open_plan,
    plan_path,  # noqa: F401 - fixture
    save,
    screen_text,
    table_add,
    table_delete,
    table_edit,
    table_move,
    type_into,
    type_text,
    wait_for_dialog,
    wait_until,
)

from kamtui.tui.dialogs.editor import EditorDialog
from kamtui.tui.screens.plan import SECTION_NAMES
from kamtui.tui.widgets.form import FieldForm
from kamtui.tui.widgets.itemtable import ItemTable


async def reach(pilot, name: str):
    """Reach section ``name`` by ctrl+g then its digit (the focus is in a field: priority keys), go
    to another section, come back by its F-key; return the section widget."""
    screen = pilot.app.screen
    other = "diagnostic" if name != "diagnostic" else "account"
    if screen.current == name:
        await go_to(pilot, other)
    assert screen.current != name
    section = await go_to(pilot, name, "ctrlg")
    assert [other for other in SECTION_NAMES if (w := screen.section(other)) and w.display] == [name]
    assert section.display and section.region.width > 0  # shown, the others hidden
    focused_in(pilot.app, section)  # on the first visit too, while the section is being built
    await go_to(pilot, other, "fkey")
    assert not section.display
    section = await go_to(pilot, name, "fkey")
    assert [other for other in SECTION_NAMES if (w := screen.section(other)) and w.display] == [name]
    assert section.display and section.region.width > 0
    focused_in(pilot.app, section)
    return section


def focused_in(app, section) -> None:
    """The keyboard is in the section: on a field or a table, not on a form's scroll box."""
    focused = app.focused
    assert focused is not None and (focused is section or section in focused.ancestors), focused
    assert not isinstance(focused, FieldForm), focused


async def test_account_fields_and_team(plan_path):
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        assert not app.dirty  # opening a plan changes nothing
        section = await reach(pilot, "account")
        name = section.query_one("#account-form #f-name", Input)
        assert app.focused is name  # F2 puts the cursor in the first field
        assert name.cursor_position == len(name.value) and not name.selection.end - name.selection.start
        await type_text(pilot, " Nord")  # the cursor is at the end: the name is not replaced
        assert app.session.plan.account.name == "Distrib SA Nord"
        await type_into(pilot, name, "Acme SA")  # select all, then type
        assert app.session.plan.account.name == "Acme SA"
        assert app.dirty and app.save_state == "unsaved"
        status = app.screen.query_one("#status", Static)
        assert "Acme SA" in str(status.render()) and "[unsaved]" in str(status.render())
        await type_into(pilot, section.query_one("#account-form #f-kam", Input), "Kim L.")

        team = section.query_one("#team-table", ItemTable)
        assert column(team) == ["Paul R.", "Inès T.", "Julien M."]
        await table_add(pilot, team, {"name": "Zoé K.", "role": "Finance"}, after_row=0)
        assert [m.name for m in app.session.plan.account.team] == ["Paul R.", "Zoé K.", "Inès T.", "Julien M."]
        await table_edit(pilot, team, 2, {"role": "Marketing"}, key="enter")
        assert app.session.plan.account.team[2].role == "Marketing"
        await table_delete(pilot, team, 0)
        await table_move(pilot, team, 2, "K")  # Julien M. up
        await table_move(pilot, team, 0, "shift+down")  # Zoé K. down
        expected = ["Julien M.", "Zoé K.", "Inès T."]
        assert [m.name for m in app.session.plan.account.team] == expected
        assert column(team) == expected
        await save(pilot)
        assert "[saved]" in str(status.render())

    disk = disk_plan(plan_path)
    assert disk.account.name == "Acme SA" and disk.account.kam == "Kim L."
    assert [(m.name, m.role) for m in disk.account.team] == [
        ("Julien M.", "Category management"),
        ("Zoé K.", "Finance"),
        ("Inès T.", "Marketing"),
    ]


async def test_diagnostic_answer_status_and_gaps(plan_path):
    app = make_app(plan_path)
    today = TODAY
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        section = await reach(pilot, "diagnostic")
        answer = section.query_one("#answer", TextArea)
        assert app.focused is answer
        # Pick an unanswered question in the checklist (the Diagnostic's list of questions), by keyboard.
        questions = pilot.app.screen.query_one("#checklist-list")
        questions.focus()
        await pilot.pause()
        target = questions.index_of("ways-of-working")
        for _ in range(len(questions.lines)):
            if questions.cursor == target:
                break
            await pilot.press("down")
        await pilot.press("enter")
        await wait_until(pilot, lambda: section.qid == "ways-of-working" and app.focused is answer)
        assert answer.text == ""
        await type_text(pilot, "Monthly")
        status = section.query_one("#answer-status")
        await choose(pilot, status, "answered")
        entry = app.session.plan.diagnostic["ways-of-working"]
        assert (entry.answer, entry.status, entry.updated) == ("Monthly", "answered", today)
        assert app.session.plan.diagnostic["know-client"].status == "answered"  # untouched

        gaps = section.query_one("#gaps-table", ItemTable)
        assert len(column(gaps)) == 4
        await table_add(pilot, gaps, {"question": "Budget?", "ask": "Marc"}, after_row=3)
        await table_edit(pilot, gaps, 0, {"resolved": True})
        await table_delete(pilot, gaps, 1)  # "Objectifs de marge..."
        await table_move(pilot, gaps, 3, "K")  # the new gap up one
        assert [g.question for g in app.session.plan.gaps][2] == "Budget?"
        assert app.session.plan.gaps[0].resolved
        assert column(gaps)[2] == "Budget?"
        await save(pilot)

    disk = disk_plan(plan_path)
    entry = disk.diagnostic["ways-of-working"]
    assert (entry.answer, entry.status, entry.updated) == ("Monthly", "answered", today)
    assert disk.diagnostic["know-client"].status == "answered"
    assert [(g.question, g.ask, g.resolved) for g in disk.gaps] == [
        ("Volume des ventes de la catégorie snacking fruité par région ?", "s-fsmeqz", True),
        ("Calendrier des prospectus nationaux du premier semestre 2027 ?", "Thomas Girard", True),
        ("Budget?", "Marc", False),
        ("Critères RSE retenus pour la prochaine revue d'assortiment bio ?", "s-sdv6qr", False),
    ]


async def test_market_strategy_and_swot(plan_path):
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        section = await reach(pilot, "market")
        strategy = section.query_one("#client-form #f-strategy", TextArea)
        assert app.focused is strategy
        old_strategy = app.session.plan.account.strategy
        await type_into(pilot, strategy, "\nBio+", replace=False)
        assert app.session.plan.account.strategy == old_strategy + "\nBio+"
        await type_into(pilot, section.query_one("#swot-form #f-strengths", TextArea), "\nFast", replace=False)
        await type_into(pilot, section.query_one("#swot-form #f-threats", TextArea), "War\n\nTax")
        assert app.session.plan.swot.strengths[-1] == "Fast" and len(app.session.plan.swot.strengths) == 5
        assert app.session.plan.swot.threats == ["War", "Tax"]  # one item per line, blank lines dropped
        await save(pilot)

    disk = disk_plan(plan_path)
    assert disk.account.strategy == old_strategy + "\nBio+"
    assert disk.swot.strengths[-1] == "Fast" and len(disk.swot.strengths) == 5
    assert disk.swot.threats == ["War", "Tax"]


async def test_competition_table(plan_path):
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        section = await reach(pilot, "competition")
        table = section.query_one("#competitors-table", ItemTable)
        assert app.focused is table
        await table_add(pilot, table, {"name": "BioCo", "trend": "growing", "wallet_share": "12,5"}, after_row=2)
        await table_edit(pilot, table, 0, {"impact": "medium", "wallet_share": "30"})
        await table_delete(pilot, table, 2)  # Natéo
        await table_move(pilot, table, 2, "shift+up")  # BioCo above Distrib Bio
        expected = ["Croc'Nature", "BioCo", "Distrib Bio (marque propre)"]
        assert [c.name for c in app.session.plan.competitors] == expected
        assert column(table) == expected
        await save(pilot)

    disk = disk_plan(plan_path)
    assert [(c.name, c.trend, c.impact, c.wallet_share) for c in disk.competitors] == [
        ("Croc'Nature", "growing", "medium", 30.0),
        ("BioCo", "growing", "medium", 12.5),
        ("Distrib Bio (marque propre)", "stable", "high", 34.0),
    ]
    assert disk.competitors[1].id.startswith("c-")


async def test_relationships_stakeholders_and_history(plan_path):
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        section = await reach(pilot, "relationships")
        people = section.query_one("#stakeholders-table", ItemTable)
        assert app.focused is people
        await table_add(
            pilot, people, {"name": "Anne", "role": "decision-maker", "last_contact": "2026-11-20"}, after_row=5
        )
        await table_edit(pilot, people, 0, {"title": "CEO"})
        await table_delete(pilot, people, 4)  # Karim Benali
        await table_move(pilot, people, 5, "K")  # Anne above Élodie Moreau
        names = ["Marc Lefèvre", "Claire Martin", "Thomas Girard", "Sophie Nguyen", "Anne", "Élodie Moreau"]
        assert [s.name for s in app.session.plan.stakeholders] == names
        assert column(people) == names

        history = section.query_one("#history-table", ItemTable)
        await table_add(pilot, history, {"date": "2026-11-25", "event": "Visit"}, after_row=4)
        await table_delete(pilot, history, 0)
        await table_move(pilot, history, 3, "J")  # the 2026-03-01 event below the new one
        dates = [
            dt.date(2024, 7, 20),
            dt.date(2025, 2, 28),
            dt.date(2025, 11, 5),
            dt.date(2026, 11, 25),
            dt.date(2026, 3, 1),
        ]
        assert [h.date for h in app.session.plan.history] == dates
        assert column(history) == [d.isoformat() for d in dates]
        await save(pilot)

    disk = disk_plan(plan_path)
    assert [s.name for s in disk.stakeholders] == names
    anne = disk.stakeholders[4]
    assert (anne.role, anne.last_contact) == ("decision-maker", dt.date(2026, 11, 20))
    assert disk.stakeholders[0].title == "CEO"
    assert [h.date for h in disk.history] == dates
    assert disk.history[3].event == "Visit" and disk.history[3].id.startswith("h-")


async def test_performance_kpis_and_measures(plan_path):
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        section = await reach(pilot, "performance")
        kpis = section.query_one("#kpis-table", ItemTable)
        assert app.focused is kpis
        await table_add(pilot, kpis, {"name": "NPS", "unit": "pts", "better": "lower"}, after_row=3)
        await table_edit(pilot, kpis, 0, {"unit": "pct"})
        await table_move(pilot, kpis, 4, "K")
        assert [k.name for k in app.session.plan.kpis][3] == "NPS"

        measures = section.query_one("#measures-table", ItemTable)
        await table_add(pilot, measures, {"period": "2027-Q2", "target": "12"}, after_row=10)
        await table_edit(pilot, measures, 1, {"actual": "5.5"})
        await table_delete(pilot, measures, 2)  # k-share 2027-01
        assert column(measures, 1)[1:3] == ["2026-11", "2027-03"]
        assert column(measures, 4)[1] == "✓ +0.5"
        await save(pilot)

    disk = disk_plan(plan_path)
    assert [(k.name, k.unit, k.better) for k in disk.kpis][3] == ("NPS", "pts", "lower")
    assert disk.kpis[0].unit == "pct"
    assert [(m.kpi, m.period, m.target, m.actual) for m in disk.measures][1:3] == [
        ("k-share", "2026-11", 5.0, 5.5),
        ("k-share", "2027-03", 10.0, None),
    ]
    # The new measure went in period order among k-share's, not after the row it was added on.
    assert (disk.measures[3].kpi, disk.measures[3].period, disk.measures[3].target) == ("k-share", "2027-Q2", 12.0)
    assert len(disk.measures) == 19


async def test_objectives_table(plan_path):
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        section = await reach(pilot, "objectives")
        table = section.query_one("#objectives-table", ItemTable)
        assert app.focused is table
        await table_add(pilot, table, {"title": "Win", "target": "3", "deadline": "2027-05-31"}, after_row=3)
        await table_edit(pilot, table, 2, {"status": "achieved"})
        await table_delete(pilot, table, 3)
        await table_move(pilot, table, 3, "shift+up")
        titles = [o.title for o in app.session.plan.objectives]
        assert titles[2] == "Win" and len(titles) == 4
        shown = column(table)  # titles cut to the width left by the must-see columns
        assert len(shown) == 4 and all(cut_from(c, title) for c, title in zip(shown, titles, strict=True))
        await save(pilot)

    disk = disk_plan(plan_path)
    assert [o.title for o in disk.objectives] == titles
    win = disk.objectives[2]
    assert (win.target, win.deadline, win.status) == (3.0, dt.date(2027, 5, 31), "on-track")
    assert disk.objectives[3].status == "achieved"


async def test_actions_filters_table_and_inline_validation(plan_path):
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        section = await reach(pilot, "actions")
        table = section.query_one("#actions-table", ItemTable)
        assert app.focused is table
        summary = section.query_one("#actions-summary", Static)
        assert len(column(table)) == 10

        await pilot.press("f")  # status: to do
        todo = [a.title for a in app.session.plan.actions if a.status == "todo"]
        assert len(column(table)) == len(todo)
        assert all(cut_from(c, title) for c, title in zip(column(table), todo, strict=True))
        assert set(column(table, 2)) == {"to do", "⚠ to do"}
        assert "filter: to do" in str(summary.render())
        await pilot.press("o")  # owner: the first one in alphabetical order
        titles = [a.title for a in app.session.plan.actions if a.status == "todo" and a.owner == "Fabienne B."]
        mine = column(table)
        assert len(mine) == 3 and all(cut_from(c, title) for c, title in zip(mine, titles, strict=True))
        assert "filter: to do, Fabienne B." in str(summary.render())
        # Rows map to the right actions while filtered.
        await table_edit(pilot, table, 1, {"status": "doing"})
        assert app.session.plan.actions[8].status == "doing"  # a-4bt4ph
        assert column(table) == [mine[0], mine[2]]  # no longer "to do": filtered out
        await table_delete(pilot, table, 1)  # a-gm7qqx
        assert "a-gm7qqx" not in [a.id for a in app.session.plan.actions]

        await pilot.press(*["f"] * 5, *["o"] * 4)  # back to no filter
        assert "filter" not in str(summary.render())
        assert len(column(table)) == 9

        # The item editor checks each field as it is typed; OK stays closed until it is right.
        await focus_row(pilot, table, 8)
        await pilot.press("a")
        dialog = await wait_for_dialog(pilot, EditorDialog)
        await fill_editor(pilot, dialog, {"title": "Demo", "due": "next week"})
        error = dialog.query_one("#err-due", Static)
        assert error.has_class("shown") and "2027-03-01" in str(error.render())
        await pilot.press("ctrl+s")
        await pilot.click("#ok")
        await pilot.pause()
        assert app.screen is dialog and len(app.session.plan.actions) == 9
        await fill_editor(pilot, dialog, {"due": "2027-05-02"})
        assert not error.has_class("shown")
        await accept_editor(pilot)
        assert app.session.plan.actions[-1].title == "Demo" and app.session.plan.actions[-1].due == dt.date(2027, 5, 2)
        await table_move(pilot, table, 9, "K")
        assert column(table)[8] == "Demo"
        await save(pilot)

    disk = disk_plan(plan_path)
    assert [a.id for a in disk.actions][-2].startswith("a-") and disk.actions[-2].title == "Demo"
    assert (disk.actions[-2].due, disk.actions[-2].status) == (dt.date(2027, 5, 2), "todo")
    assert disk.actions[9].id == "a-4bt4ph" and disk.actions[9].status == "doing"
    assert "a-gm7qqx" not in [a.id for a in disk.actions] and len(disk.actions) == 10


async def test_review_is_read_only(plan_path):
    before = plan_path.read_bytes()
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        section = await reach(pilot, "review")
        assert app.focused is section
        body = section.review_text()
        assert "Distrib SA" in body and "Overdue, the longest first" in body
        await pilot.press(*"aedKJjkxnpN", "enter", "delete", "backspace", "shift+up")  # q goes back: tested apart
        assert not app.dirty and app.save_state == "saved"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, type(section.screen))
    assert plan_path.read_bytes() == before


async def test_typing_redraws_the_field_not_the_whole_screen(plan_path):
    """Each key typed in a field changes the plan (and the app's plan_version, which every
    section watches): that must redraw what shows it, not the whole screen, and leave the key bar
    alone unless what it shows changes."""
    from kamtui.tui.widgets.keybar import KeyBar

    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_plan(pilot)
        section = await go_to(pilot, "diagnostic")
        answer = section.query_one("#answer", TextArea)
        assert app.focused is answer
        await type_text(pilot, "a")  # the first key makes the plan unsaved: ctrl+s, ctrl+z light up
        await pilot.pause()
        repaints, bars = [], []
        original = screen.refresh
        screen.refresh = lambda *regions, **kw: (repaints.append(kw), original(*regions, **kw))[1]
        bar = screen.query_one(KeyBar)
        bar_update = bar.update
        bar.update = lambda *a, **kw: (bars.append(a), bar_update(*a, **kw))[1]
        await type_text(pilot, "bcdef")
        await pilot.pause()
        assert answer.text.endswith("abcdef")
        assert app.session.plan.diagnostic[section.qid].answer.endswith("abcdef")
        assert repaints == [] and bars == []


async def test_typing_in_a_one_line_field_lays_nothing_out(plan_path):
    """Textual's Input asks for a layout of the whole screen at each key (its text's width
    changes); so did clearing the field's error when there was none. A field keeps its width
    whatever its text: typing repaints it, lays nothing out, and a text longer than the field
    still scrolls to keep the cursor in view."""
    app = make_app(plan_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_plan(pilot)
        await go_to(pilot, "account")
        name = screen.query_one("#f-name", Input)
        assert app.focused is name
        await type_text(pilot, "a")  # the first key makes the plan unsaved
        await pilot.pause()
        layouts: list[str] = []

        def watch(widget):
            refresh = widget.refresh

            def refreshed(*regions, **kw):
                if kw.get("layout"):
                    layouts.append(repr(widget))
                return refresh(*regions, **kw)

            widget.refresh = refreshed

        for widget in [screen, *screen.walk_children()]:
            watch(widget)
        await type_text(pilot, "bcd")
        await pilot.pause()
        assert name.value.endswith("abcd") and app.session.plan.account.name == name.value
        assert layouts == []
        await type_text(pilot, "x" * 70 + "END")
        await pilot.pause()
        assert layouts == []
        assert name.scroll_x > 0 and "xxxEND" in screen_text(app)  # the end of the text, in view


async def test_keys_typed_straight_after_a_section_key_go_to_that_section(plan_path):
    """A KAM types as soon as F2 is down: the app gets the section key and the letters together,
    before the section is built. They go to the section's first field, on a first visit or a later
    one, by its F-key or by ctrl+g and its digit — before, they went to the field of the section
    it hid, or nowhere."""
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        plan = app.session.plan
        name, strategy, answer = plan.account.name, plan.account.strategy, plan.answer("know-client").answer
        await burst(pilot, "f2", "Z", "Q")  # from the Review: the account is built
        await burst(pilot, "ctrl+g", "3", "X", "Y")  # from the name field: the market, built by the dialog's answer
        await burst(pilot, "f2", "W")  # the account again: shown, not built
        await burst(pilot, "f3", "V")  # from a field, by its F-key: the first question's answer (a TextArea)
        await wait_until(
            pilot,
            lambda: app.screen.current == "diagnostic" and app.session.plan.answer("know-client").answer.endswith("V"),
            what="V",
        )
        plan = app.session.plan
        assert plan.account.name == name + "ZQW"
        assert plan.account.strategy == strategy + "XY"
        assert plan.answer("know-client").answer == answer + "V"
