"""The diagnostic checklist docked on the plan screen (SPEC §4): live counts and states, Enter
jumps to the question's editor, ctrl+t hides and shows it."""

from __future__ import annotations

from textual.widgets import Select, Static, TextArea
from tui_helpers import (  # tests/ is on sys.path under pytest
    SIZE,
    choose,
    disk_plan,
    go_to,
    make_app,
    open_plan,
    plan_path,  # noqa: F401 - fixture
    save,
    type_text,
    wait_until,
)

from kamtui.tui.widgets.checklist import Checklist, QuestionList


def count_text(screen) -> str:
    return str(screen.query_one("#checklist-count", Static).render())


def line(screen, qid: str) -> str:
    """The checklist line of question ``qid`` as drawn, in plain text."""
    questions = screen.query_one("#checklist-list", QuestionList)
    drawn = questions.render_line(questions.index_of(qid) - questions.scroll_offset.y).text.rstrip()
    assert drawn == questions.text_of(qid).rstrip()
    return drawn


async def test_answering_updates_count_and_state_at_once(plan_path):
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_plan(pilot)
        assert count_text(screen) == "Diagnostic  3/7"
        assert line(screen, "ways-of-working").endswith("Ways of working  unanswered")
        assert line(screen, "ways-of-working").startswith(" ○ ")

        section = await go_to(pilot, "diagnostic")
        section.select_question("ways-of-working")
        answer = section.query_one("#answer", TextArea)
        await wait_until(pilot, lambda: app.focused is answer and section.qid == "ways-of-working")
        await type_text(pilot, "Weekly calls")
        # Text without the "answered" status: a draft, not counted yet. No save, no timer needed.
        assert line(screen, "ways-of-working").endswith("Ways of working  draft")
        assert line(screen, "ways-of-working").startswith(" ◔ ")
        assert count_text(screen) == "Diagnostic  3/7"

        await choose(pilot, section.query_one("#answer-status", Select), "answered")
        assert line(screen, "ways-of-working").endswith("Ways of working  answered")
        assert line(screen, "ways-of-working").startswith(" ● ")
        assert count_text(screen) == "Diagnostic  4/7"
        assert screen.query_one(Checklist).answered == 4

        # Emptying the answer takes it back out of the count.
        answer.focus()
        answer.select_all()
        await pilot.press("backspace")
        await wait_until(pilot, lambda: count_text(screen) == "Diagnostic  3/7")
        assert line(screen, "ways-of-working").endswith("Ways of working  unanswered")
        await type_text(pilot, "Weekly calls")
        assert count_text(screen) == "Diagnostic  4/7"
        await save(pilot)

    entry = disk_plan(plan_path).diagnostic["ways-of-working"]
    assert (entry.answer, entry.status) == ("Weekly calls", "answered")


async def test_enter_on_a_line_jumps_to_that_question(plan_path):
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_plan(pilot)
        await go_to(pilot, "account")
        questions = screen.query_one("#checklist-list", QuestionList)
        questions.focus()
        await pilot.pause()
        target = questions.index_of("history")
        for _ in range(len(questions.lines)):
            if questions.cursor == target:
                break
            await pilot.press("down")
        assert questions.cursor == target and questions.cursor_qid == "history"
        await pilot.press("enter")

        section = await wait_until(pilot, lambda: screen.section("diagnostic"), what="the Diagnostic")
        answer = section.query_one("#answer", TextArea)
        await wait_until(
            pilot, lambda: screen.current == "diagnostic" and app.focused is answer, what="the answer editor"
        )
        await pilot.pause()
        expected = app.session.plan.diagnostic["history"].answer
        assert expected.startswith("Relation de quatre ans")
        assert section.qid == "history" and answer.text == expected
        assert section.query_one("#answer-status", Select).value == "draft"
        assert "notre histoire avec ce client" in str(  # the questions speak the plan's language
            section.query_one("#question-text", Static).render()
        )
        assert questions.cursor_qid == "history"  # the checklist is the Diagnostic's list of questions
        assert not section.query("#questions")  # not a second list beside it
        # Typing now edits that question's answer, nothing else.
        await type_text(pilot, "X")
        assert app.session.plan.diagnostic["history"].answer == expected + "X"  # the cursor was at the end
        assert app.session.plan.diagnostic["know-client"].answer.startswith("Bonne connaissance")


async def test_ctrl_t_hides_and_shows_the_checklist(plan_path):
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_plan(pilot)
        await go_to(pilot, "diagnostic")
        checklist = screen.query_one(Checklist)
        sections = screen.section("diagnostic")
        answer = screen.query_one("#answer", TextArea)
        assert app.focused is answer  # the key works while typing
        before = answer.text
        wide = sections.region.width
        assert checklist.display and checklist.region.width > 0

        await pilot.press("ctrl+t")
        await pilot.pause()
        assert not checklist.display and checklist.region.width == 0
        assert sections.region.width > wide  # the section takes the room
        assert answer.text == before and not app.dirty

        await pilot.press("ctrl+t")
        await pilot.pause()
        assert checklist.display and checklist.region.width > 0
        assert sections.region.width == wide
        assert count_text(screen) == "Diagnostic  3/7"


async def test_the_checklist_cursor_skips_headings_and_reaches_both_ends(plan_path):
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_plan(pilot)
        questions = screen.query_one("#checklist-list", QuestionList)
        questions.focus()
        await pilot.pause()
        assert questions.cursor is None  # nothing picked until the user moves
        qids = [qid for _, qid in questions.lines if qid]
        await pilot.press("end")
        assert questions.cursor_qid == qids[-1]
        await pilot.press("j")  # already at the end: stays
        assert questions.cursor_qid == qids[-1]
        await pilot.press("home")
        assert questions.cursor_qid == qids[0]
        await pilot.press("k", "up")
        assert questions.cursor_qid == qids[0]
        visited = [questions.cursor_qid]
        for _ in qids[1:]:
            await pilot.press("down")
            visited.append(questions.cursor_qid)
        assert visited == qids  # every question once, never a heading
        await pilot.press("pageup")
        assert questions.cursor_qid == qids[0]
        await pilot.press("pagedown")
        assert questions.cursor_qid == qids[-1]


async def test_a_click_on_a_question_opens_it_and_on_a_heading_does_nothing(plan_path):
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_plan(pilot)
        questions = screen.query_one("#checklist-list", QuestionList)
        heading = next(n for n, (_, qid) in enumerate(questions.lines) if qid is None)
        await pilot.click(questions, offset=(2, heading))
        await pilot.pause()
        assert screen.current == "review" and questions.cursor is None
        target = questions.index_of("performance")
        await pilot.click(questions, offset=(2, target))
        await wait_until(
            pilot,
            lambda: (
                screen.current == "diagnostic"
                and screen.section("diagnostic")
                and screen.section("diagnostic").qid == "performance"
            ),
            what="the question",
        )
        assert questions.cursor_qid == "performance"
