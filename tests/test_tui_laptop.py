"""The plan screen at the sizes of a laptop (80×24, a split pane), of a larger window (120×40) and of
a full screen (200×50): the checklist as a column or as one line with its overlay, the Diagnostic
built around its answer, a key bar that fits."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import TODAY
from textual.widgets import Select, TextArea
from tui_helpers import (  # tests/ is on sys.path under pytest
    choose,
    go_to,
    make_app,
    on_screen,
    open_plan,
    plan_path,  # noqa: F401 - fixture
    screen_text,
    type_text,
    wait_for_dialog,
    wait_until,
)

from kamtui.tui.dialogs.checklist import ChecklistDialog
from kamtui.tui.widgets.checklist import Checklist, ChecklistSummary, QuestionList

SIZES = [(80, 24), (120, 40), (200, 50)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_diagnostic_shows_the_question_status_and_answer_box_focused(plan_path, size):
    app = make_app(plan_path)
    async with app.run_test(size=size) as pilot:
        screen = await open_plan(pilot)
        section = await go_to(pilot, "diagnostic")
        answer = section.query_one("#answer", TextArea)
        await wait_until(pilot, lambda: app.focused is answer, what="the answer box focused")
        await pilot.pause()
        text = screen_text(app)
        assert "Diagnostic" in text
        assert "Que sais-je vraiment de mon client" in text  # the question, in the plan's language
        assert on_screen(app, answer) and answer.region.height >= 6
        assert on_screen(app, section.query_one("#answer-status", Select))
        assert "Bonne connaissance" in text or "Nous connaissons" in text  # the answer's text
        checklist, summary = screen.query_one(Checklist), screen.query_one(ChecklistSummary)
        if size[0] < 110:
            assert checklist.region.width == 0 and summary.region.height == 1
            assert "Diagnostic 3/7" in text and "next: ? Client's priorities" in text
        else:
            assert checklist.region.width > 0 and summary.region.height == 0
        keybar = text.splitlines()[-1]
        assert "f1 Help" in keybar and "Commands" in keybar and "^s Save" in keybar  # cut, never the essentials


@pytest.mark.parametrize("size", [(80, 24), (100, 30)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_below_110_columns_ctrl_t_opens_the_checklist_over_the_screen(plan_path, size):
    app = make_app(plan_path)
    async with app.run_test(size=size) as pilot:
        screen = await open_plan(pilot)
        await go_to(pilot, "account")
        await pilot.press("ctrl+t")
        dialog = await wait_for_dialog(pilot, ChecklistDialog)
        questions = dialog.query_one(QuestionList)
        assert app.focused is questions
        assert questions.cursor_qid == "priorities"  # the first question still to answer
        assert on_screen(app, dialog.query_one(".dialog"))
        text = screen_text(app)
        assert "Ways of working  unanswered" in text and "Knowing the client  answered" in text
        await pilot.press("down", "down", "down", "enter")  # -> market-challenges, competition, history
        section = await wait_until(pilot, lambda: screen.current == "diagnostic" and screen.section("diagnostic"))
        await wait_until(pilot, lambda: section.qid == "history" and app.focused is section.query_one("#answer"))
        assert not isinstance(app.screen, ChecklistDialog)
        await pilot.press("ctrl+t")  # from the Diagnostic: the list opens on the question being answered
        dialog = await wait_for_dialog(pilot, ChecklistDialog)
        assert dialog.query_one(QuestionList).cursor_qid == "history"
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
        assert section.qid == "history"


async def test_ctrl_down_and_ctrl_up_go_through_the_questions_while_typing(plan_path):
    app = make_app(plan_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_plan(pilot)
        section = await go_to(pilot, "diagnostic")
        assert section.qid == "know-client"
        await pilot.press("ctrl+down")
        await wait_until(pilot, lambda: section.qid == "market-challenges")
        assert app.focused is section.query_one("#answer")
        assert "Quelles sont les principales difficultés" in screen_text(app)
        await pilot.press("ctrl+up", "ctrl+up")  # round: the last question
        await wait_until(pilot, lambda: section.qid == "performance")
        assert screen.query_one(Checklist).query_one(QuestionList).cursor_qid == "performance"  # it follows


async def test_an_unanswered_question_says_so_and_cannot_be_marked_answered_blank(plan_path):
    app = make_app(plan_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot)
        section = await go_to(pilot, "diagnostic")
        section.select_question("ways-of-working")
        await pilot.pause()
        status = section.query_one("#answer-status", Select)
        assert status.value is Select.NULL and "unanswered" in screen_text(app)  # not "draft"
        status.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: status.expanded, what="the select open")
        options = [value for _, value in status._options]
        await pilot.press(*["down"] * (options.index("answered") - options.index(Select.NULL)), "enter")
        await wait_until(pilot, lambda: not status.expanded and app.focused is section.query_one("#answer"))
        assert status.value is Select.NULL  # put back
        assert (
            "ways-of-working" not in app.session.plan.diagnostic
            or not app.session.plan.diagnostic["ways-of-working"].answer
        )
        assert any("Write the answer" in n.message for n in app._notifications)
        assert app.focused is section.query_one("#answer")
        await type_text(pilot, "Monthly call")
        await choose(pilot, status, "answered")
        entry = app.session.plan.diagnostic["ways-of-working"]
        assert (entry.answer, entry.status, entry.updated) == ("Monthly call", "answered", TODAY)


async def test_confirming_a_status_stamps_updated_and_stale_answers_are_marked(plan_path):
    app = make_app(plan_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_plan(pilot)
        old = TODAY - dt.timedelta(days=400)
        app.session.set_fields(("answer", "competition"), {"updated": old})
        section = await go_to(pilot, "diagnostic")
        section.select_question("competition")
        await pilot.pause()
        text = screen_text(app)
        assert "Competition  answered  ↻ stale" in text  # in the checklist: symbol and word
        assert "↻ stale: over 180" in text  # beside the answer (wrapped at this width)
        status = section.query_one("#answer-status", Select)
        await choose(pilot, status, "to-confirm")
        await choose(pilot, status, "answered")  # confirmed with the client: current again
        assert app.session.plan.diagnostic["competition"].updated == TODAY
        await pilot.pause()
        assert "stale" not in screen_text(app)
        assert "Competition  answered" in screen.query_one(Checklist).query_one(QuestionList).text_of("competition")
