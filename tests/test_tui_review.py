"""The review before a client visit (SPEC §6): its parts, its keys, the visit date, the brief.

"Today" is conftest.TODAY (2026-11-29); the visit is set to VISIT with the v key."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import TODAY
from textual.widgets import Input
from tui_helpers import (
    copy_demo,
    go_to,
    make_app,
    open_plan,
    plan_path,  # noqa: F401 - a fixture
    screen_text,
    type_into,
    wait_for_dialog,
    wait_for_workers,
    wait_until,
)

from kamtui.model import ops
from kamtui.model.questions import load_bank
from kamtui.model.rules import due_before_visit, open_gaps, overdue_sorted, unanswered
from kamtui.store.config import Config
from kamtui.store.planfile import PlanFile
from kamtui.tui.dialogs.export import ExportDialog
from kamtui.tui.dialogs.prompt import PromptDialog
from kamtui.tui.i18n import set_lang
from kamtui.tui.screens.review_parts import PARTS, Facts, review_parts, scorecard

VISIT = dt.date(2027, 1, 25)
HEADINGS = (
    "To ask the client",
    "Actions:",
    "Objectives:",
    "KPI scorecard",
    "People map",
    "Answers not updated",
    "Investment asked",
)


async def set_visit(pilot, day: str) -> None:
    await pilot.press("v")
    dialog = await wait_for_dialog(pilot, PromptDialog)
    await type_into(pilot, dialog.query_one(Input), day)
    await pilot.press("enter")
    await wait_until(pilot, lambda: not isinstance(pilot.app.screen, PromptDialog), what="the dialog to close")


async def review_at(pilot):
    screen = await open_plan(pilot)
    review = screen.section("review")
    assert screen.current == "review" and pilot.app.focused is review
    return screen, review


async def test_the_review_lists_exactly_what_to_ask_and_do_before_the_visit(plan_path):
    plan = PlanFile.load(plan_path).plan
    bank = load_bank()
    # Hand-counted in the demo plan: 4 questions not answered (one to confirm, one draft, two
    # blank), 3 open gaps (one resolved), 3 overdue actions, 2 due from today to 2027-01-25.
    questions = unanswered(plan, list(bank))
    late = overdue_sorted(plan, TODAY)
    soon = due_before_visit(plan, TODAY, VISIT)
    assert (len(questions), len(open_gaps(plan)), len(late), len(soon)) == (4, 3, 3, 2)
    assert [a.id for a in late] == ["a-q2y34n", "a-gp25co", "a-vmxuct"]  # the longest overdue first
    assert [a.id for a in soon] == ["a-zgxok6", "a-gm7qqx"]
    app = make_app(plan_path)
    async with app.run_test(size=(120, 40)) as pilot:
        _, review = await review_at(pilot)
        await set_visit(pilot, VISIT.isoformat())
        assert review.visit == VISIT
        assert "review for the visit on 2027-01-25" in review.review_text()
        parts = {part.key: "\n".join(line.plain for line in part.lines) for part in review.parts}
        agenda = parts["agenda"]
        for q in questions:
            assert q.text(plan.lang)[:30] in agenda.replace("\n    ", " ")
        assert agenda.count("  ? ") + agenda.count("  ◔ ") + agenda.count("  ○ ") == 4
        assert agenda.count("  • ") == 3
        assert "Calendrier des prospectus" not in agenda  # the resolved gap
        actions = parts["actions"]
        assert "Actions: 2 due before the visit, 3 overdue" in [p.title for p in review.parts]
        dates = [line.split()[0] for line in actions.splitlines() if line.startswith("  20")]
        assert dates == ["2026-12-10", "2027-01-20", "2026-09-30", "2026-10-31", "2026-11-15"]
        assert "60 d late" in actions and "2026-10-15" not in actions  # a done action is never late


async def test_review_keys_scroll_jump_between_parts_search_and_go_back(plan_path):
    app = make_app(plan_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, review = await review_at(pilot)
        await pilot.press("q")  # opened on the review: nowhere to go back to, and it says so
        await wait_until(pilot, lambda: any("No section to go back to" in str(n.message) for n in app._notifications))
        assert screen.current == "review"
        assert review.scroll_y == 0
        await pilot.press("j", "j")
        assert review.scroll_y == 2
        await pilot.press("k")
        assert review.scroll_y == 1
        await pilot.press("n")
        assert review.part == 1 and review.scroll_y == review.starts[1]
        await pilot.press("n")
        assert review.part == 2 and review.scroll_y == review.starts[2]
        assert "part 3/7: Objectives" in screen_text(app)
        await pilot.press("p")
        assert review.part == 1 and review.scroll_y == review.starts[1]
        # / searches; n and N go through the hits, the count says where we are.
        await pilot.press("slash")
        dialog = await wait_for_dialog(pilot, PromptDialog)
        await type_into(pilot, dialog.query_one(Input), "marc")
        await pilot.press("enter")
        await wait_until(pilot, lambda: review.hits, what="hits")
        text = review.review_text().lower()
        assert len(review.hits) == text.count("marc") >= 3
        assert review.hit == 0 and f"1/{len(review.hits)}" in screen_text(app)
        await pilot.press("n")
        assert review.hit == 1 and f"2/{len(review.hits)}" in screen_text(app)
        await pilot.press("N", "N")
        assert review.hit == len(review.hits) - 1  # round the end
        row = review.hits[review.hit][0]
        assert review.scroll_y <= row < review.scroll_y + review.scrollable_content_region.height
        await pilot.press("escape")
        assert review.search_text == "" and review.hits == []
        # q: back to the section the user came from.
        await go_to(pilot, "objectives")
        await go_to(pilot, "review")
        await pilot.press("q")
        await wait_until(pilot, lambda: screen.current == "objectives", what="back to objectives")
        assert not app.dirty


async def test_a_visit_date_that_is_not_a_day_is_refused(plan_path):
    app = make_app(plan_path)
    async with app.run_test(size=(80, 24)) as pilot:
        _, review = await review_at(pilot)
        await pilot.press("v")
        dialog = await wait_for_dialog(pilot, PromptDialog)
        await type_into(pilot, dialog.query_one(Input), "2027-02-30")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog and "is not a day written YYYY-MM-DD" in screen_text(app)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is not dialog)
        assert review.visit is None and f"visit on {TODAY.isoformat()}" in review.review_text().replace("\n", " ")


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 50)])
async def test_every_part_is_on_screen_whatever_the_size(plan_path, size):
    app = make_app(plan_path)
    async with app.run_test(size=size) as pilot:
        _, review = await review_at(pilot)
        width = review.scrollable_content_region.width
        assert review._width == width
        for n, heading in enumerate(HEADINGS):
            await pilot.press("n") if n else None
            await pilot.pause()
            assert heading in screen_text(app), (heading, size)
        for line in review._lines:
            assert line.cell_length <= width, line.plain
        if size[0] >= 120:  # the room is used: a question holds on one or two lines
            assert max(line.cell_length for line in review._lines) > 0.8 * width


def test_trend_arrows_go_the_better_way_for_higher_and_lower_kpis(tmp_path):
    set_lang("en")
    plan = PlanFile.load(copy_demo(tmp_path)).plan
    for kpi, period, actual in (("k-share", "2026-11", 4.1), ("k-eblptt", "2026-11", 4.0), ("k-pwvepu", "2026-Q4", 30)):
        measure = next(m for m in plan.measures if m.kpi == kpi and m.period == period)
        measure.actual = actual
    facts = Facts(plan, load_bank(), Config(), TODAY, TODAY)
    text = "\n".join(line.plain for line in scorecard(facts, 200).lines)
    blocks = dict(zip([k.name for k in plan.kpis], text.split("\n  ")[1:], strict=False))
    lines = text.split("\n")
    share = lines[lines.index(next(x for x in lines if x.startswith("  Part de march"))) + 1]
    stock = lines[lines.index(next(x for x in lines if x.startswith("  Taux de rupture"))) + 1]
    trained = lines[lines.index(next(x for x in lines if x.startswith("  Chefs de rayon"))) + 1]
    assert "▲ up, improving" in share  # 3.4 → 4.1, higher is better
    assert "▼ down, improving" in stock  # 4.8 → 4.0, lower is better
    assert "▼ down, worsening" in trained  # 52 → 30, higher is better
    assert "↓ lower" in text and blocks


def test_empty_parts_say_what_to_do(tmp_path):
    set_lang("en")
    plan = PlanFile.load(copy_demo(tmp_path)).plan
    for name in ("objectives", "kpis", "stakeholders", "actions"):
        getattr(plan, name).clear()
    parts = review_parts(plan, load_bank(), Config(), TODAY, TODAY, 80)
    assert [p.key for p in parts] == list(PARTS)
    said = {p.key: " ".join(line.plain for line in p.lines) for p in parts}
    assert "No objective yet — F8 Objectives." in said["objectives"]
    assert "No KPI yet — F7 Performance." in said["scorecard"]
    assert "No stakeholder yet — F6 Relationships." in said["people"]
    assert "No action yet — F9 Actions." in said["actions"]
    assert "No investment asked" in said["investment"]


def test_people_map_and_investment_flag_what_needs_attention(tmp_path):
    set_lang("en")
    plan = PlanFile.load(copy_demo(tmp_path)).plan
    plan.actions[0].client_commitment = ""  # 45 000 EUR asked for nothing in return
    parts = {p.key: p for p in review_parts(plan, load_bank(), Config(), TODAY, TODAY, 120)}
    people = [line.plain for line in parts["people"].lines]
    row5 = next(line for line in people if line.startswith("5 ┃"))
    assert "⚠Marc Lefèvre" in row5 and "Claire Martin" in row5  # influence 5: neutral, supporter
    assert row5.index("Marc") < row5.index("Claire")  # attitude runs opponent → champion
    listed = " ".join(people).split("  • ")
    assert any("Marc Lefèvre" in p and "⚠ no contact for more than 90 days" in " ".join(p.split()) for p in listed)
    assert not any("Claire Martin" in p and "⚠" in p for p in listed[1:])  # 18 days ago
    invest = " ".join(line.plain for line in parts["investment"].lines)
    assert "Our investment 154 000 EUR, of which 109 000 EUR (71 %)" in invest
    assert "Without a client commitment (45 000 EUR)" in invest and "Négocier les têtes de gondole" in invest


async def test_the_visit_brief_from_the_review_is_written_next_to_the_plan(plan_path):
    before = set(plan_path.parent.iterdir())
    app = make_app(plan_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await review_at(pilot)
        await set_visit(pilot, VISIT.isoformat())
        await pilot.press("b")
        dialog = await wait_for_dialog(pilot, ExportDialog)
        path = dialog.query_one("#export-path", Input)
        expected = plan_path.parent / f"demo-brief-{VISIT.isoformat()}.md"
        assert path.value == str(expected)
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, ExportDialog), what="the dialog to close")
        await wait_for_workers(app, pilot)
        await wait_until(pilot, expected.exists, what="the brief written")
        assert any(str(expected) in str(n.message) for n in app._notifications)
    text = expected.read_text("utf-8")
    assert "Distrib SA" in text and "2027-01-25" in text and "Préparer la première revue" in text
    assert set(plan_path.parent.iterdir()) - before == {expected}


async def test_export_from_the_palette_writes_html_for_the_client(plan_path, tmp_path):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    app = make_app(plan_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await review_at(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"export")
        await wait_until(pilot, lambda: "Export the plan" in screen_text(app), what="the palette entry")
        await pilot.press("enter")
        dialog = await wait_for_dialog(pilot, ExportDialog)
        from tui_helpers import choose

        await choose(pilot, dialog.query_one("#export-format"), "html")
        await choose(pilot, dialog.query_one("#export-audience"), "client")
        path = dialog.query_one("#export-path", Input)
        assert path.value == str(plan_path.parent / "demo-client.html")
        await type_into(pilot, path, str(out_dir / "for-client.html"))
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, ExportDialog), what="the dialog to close")
        await wait_for_workers(app, pilot)
        await wait_until(pilot, (out_dir / "for-client.html").exists, what="the export written")
    html = (out_dir / "for-client.html").read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>") or "<html" in html[:200]
    assert "Distrib SA" in html and "champion" not in html.lower()  # attitudes are internal
    assert sorted(p.name for p in out_dir.iterdir()) == ["for-client.html"]
    assert sorted(p.name for p in plan_path.parent.iterdir()) == ["demo.toml"]


async def test_export_refuses_to_write_over_the_plan(plan_path):
    before = plan_path.read_bytes()
    app = make_app(plan_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await review_at(pilot)
        await pilot.press("ctrl+e")
        dialog = await wait_for_dialog(pilot, ExportDialog)
        await type_into(pilot, dialog.query_one("#export-path", Input), "demo.toml")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog and "That is a plan file" in screen_text(app)
    assert plan_path.read_bytes() == before


def test_the_model_functions_are_the_ones_the_review_uses(tmp_path):
    """The review asks the rules (a plan with a new overdue action shows it, counted)."""
    set_lang("en")
    plan = PlanFile.load(copy_demo(tmp_path)).plan
    ops.add_item(
        plan, "actions", ops.new_item(plan, "actions", title="Late one", status="todo", due=dt.date(2026, 1, 2))
    )
    parts = {p.key: p for p in review_parts(plan, load_bank(), Config(), TODAY, TODAY, 100)}
    lines = [line.plain for line in parts["actions"].lines]
    overdue = lines.index(next(line for line in lines if line.startswith("Overdue")))
    assert "Late one" in lines[overdue + 1] and "331 d late" in lines[overdue + 1]
    assert parts["actions"].title == "Actions: 0 due before the visit, 4 overdue"


async def test_review_keys_are_in_the_key_bar_the_help_and_the_palette(plan_path):
    from kamtui.tui.dialogs.help import HelpDialog

    app = make_app(plan_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await review_at(pilot)
        bar = screen_text(app).splitlines()[-1]
        for said in ("n Next part", "/ Search", "v Visit date", "b Brief", "q Back", "^s Save", "^z Undo"):
            assert said in bar, said
        await pilot.press("f1")
        help_dialog = await wait_for_dialog(pilot, HelpDialog)
        text = "\n".join(f"{keys} {label}" for keys, label in help_dialog.lines)
        for said in ("p Previous part", "N Previous match", "Clear the search", "Scroll down", "Export the plan or"):
            assert said in text, said
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, HelpDialog))
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"previous")
        await wait_until(pilot, lambda: "Previous part" in screen_text(app) and "Previous match" in screen_text(app))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_wrapped_lines_keep_their_indent(plan_path, size):
    """A question too long for the line goes on below its first word, not at the left edge."""
    app = make_app(plan_path)
    async with app.run_test(size=size) as pilot:
        await review_at(pilot)
        lines = screen_text(app).splitlines()
        first = next(n for n, line in enumerate(lines) if "? Quelles sont les priorités" in line)
        start = lines[first].index("Quelles")
        wrapped = lines[first + 1]
        assert wrapped[:start].strip(" │") == "" and wrapped[start] != " ", (lines[first], wrapped)
        assert "concentre-t-il" in wrapped or size[0] > 80
