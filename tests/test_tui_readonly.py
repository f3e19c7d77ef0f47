"""A plan with a newer schema opens read-only: readable, never changed, never written."""

from __future__ import annotations

from textual.widgets import Input, TextArea
from tui_helpers import go_to, make_app, open_plan, plan_path, type_text, wait_for_workers  # noqa: F401

from kamtui.tui.widgets.itemtable import ItemTable

SIZE = (120, 40)


async def test_newer_schema_is_read_only(plan_path):
    text = plan_path.read_text("utf-8").replace("schema = 1", "schema = 2", 1)
    plan_path.write_text(text, "utf-8")
    before = plan_path.read_bytes()
    app = make_app(plan_path, autosave=0.2)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_plan(pilot)
        assert app.planfile.read_only and app.save_state == "readonly"
        assert "read-only" in str(screen.query_one("#status").render())
        await go_to(pilot, "diagnostic")
        answer = screen.query_one("#answer", TextArea)
        assert answer.read_only
        shown = answer.text
        await type_text(pilot, "typed")
        assert answer.text == shown and not app.dirty
        account = await go_to(pilot, "account")
        assert account.query_one("#f-name", Input).disabled
        actions = await go_to(pilot, "actions")
        table = actions.query_one(ItemTable)
        count = len(app.session.plan.actions)
        table.focus()
        await pilot.press("a", "d", "J")
        await pilot.press("ctrl+s")
        await pilot.pause(0.5)
        await wait_for_workers(app, pilot)
        assert len(app.session.plan.actions) == count and not app.dirty
        assert app.screen is screen  # no editor or question opened
    assert plan_path.read_bytes() == before


async def test_a_broken_question_template_is_reported_not_fatal(plan_path, tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("KAMTUI_HOME", str(home))
    (home / "questions.toml").write_text("[[questions]\nid = ", "utf-8")
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        messages = [str(n.message) for n in app._notifications]
        assert any("questions.toml" in m for m in messages), messages
        assert len(app.bank) == 7  # the core questions are all there
