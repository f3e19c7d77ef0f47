"""French everywhere a user looks: F1 help, the palette, the dialogs' buttons and their letters,
the header and the tab bar at the sizes users have; the diagnostic's titles in the plan's
language; objectives' bars and the measures' order as the user sees them."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.command import CommandPalette
from tui_helpers import (
    copy_demo,
    go_to,
    make_config,
    open_plan,
    plan_path,  # noqa: F401 - a fixture
    screen_text,
    table_add,
    type_text,
    wait_for_dialog,
    wait_until,
)

from kamtui.model.plan import Plan
from kamtui.store.planfile import PlanFile
from kamtui.tui.app import KamApp
from kamtui.tui.dialogs.choice import ChoiceDialog
from kamtui.tui.dialogs.help import HelpDialog
from kamtui.tui.i18n import catalog, set_lang

# Every English text Textual's widgets give their keys ("Scroll Up", "Focus Next"...).
TEXTUAL_ENGLISH = sorted(value for key, value in catalog("en").items() if key.startswith("textual."))


@pytest.fixture(autouse=True)
def english_again():
    yield
    set_lang("en")


def french_app(path: Path, ui: str = "fr") -> KamApp:
    config = make_config(path.parent)
    config.lang = ui
    return KamApp(path=path, lang=ui, folder=path.parent, config=config, watch_interval=3600.0)


def english_words_in(text: str) -> list[str]:
    """The English descriptions of Textual's keys found in ``text``, as whole lines' ends."""
    lines = [line.rstrip(" █▎▊│") for line in text.splitlines()]
    return [word for word in TEXTUAL_ENGLISH if any(line.endswith("  " + word) for line in lines)]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.parametrize(
    "section, focus",
    [("account", "input"), ("diagnostic", "answer"), ("objectives", "table")],
)
async def test_f1_help_in_french_has_no_english_from_textual(plan_path, size, section, focus):
    app = french_app(plan_path)
    async with app.run_test(size=size) as pilot:
        await open_plan(pilot)
        widget = await go_to(pilot, section)
        if focus == "answer":
            widget.query_one("#answer").focus()
        elif focus == "table":
            widget.query_one("#objectives-table").focus()
        await pilot.pause()
        await pilot.press("f1")
        dialog = await wait_for_dialog(pilot, HelpDialog)
        text = "\n".join(description for _keys, description in dialog.lines)
        assert dialog.lines, "the help lists keys"
        for _keys, description in dialog.lines:
            assert description not in TEXTUAL_ENGLISH, description
        assert "Quitter" in text and "Quit" not in text.split()
        if focus == "input":
            assert "Champ suivant" in text  # Textual's own "Focus Next"
        if focus == "answer":
            assert "Coller" in text or "Annuler" in text  # the text area's keys
        assert english_words_in(screen_text(app)) == []


async def test_help_shows_the_english_descriptions_in_english(plan_path):
    app = french_app(plan_path, ui="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot)
        await go_to(pilot, "account")
        await pilot.press("f1")
        dialog = await wait_for_dialog(pilot, HelpDialog)
        assert "Focus Next" in [description for _keys, description in dialog.lines]


async def test_palette_in_french(plan_path):
    app = french_app(plan_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot)
        await go_to(pilot, "account")
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), what="the palette")
        await wait_until(pilot, lambda: "Enregistrer" in screen_text(app), what="the commands listed")
        text = screen_text(app)
        words = set(text.replace("…", " ").split())
        assert not words & {"Save", "Quit", "Undo", "Help", "Commands"}, words
        assert english_words_in(text) == []
        assert "Chercher une commande…" in text and "Search for commands" not in text
        await pilot.press("escape")


# --- dialogs' buttons ----------------------------------------------------------------------------


def buttons(app: KamApp) -> list[str]:
    from textual.widgets import Button

    return [str(button.label) for button in app.screen.query(Button)]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_french_confirmation_reads_oui_o_non_n_and_o_confirms(plan_path, size):
    app = french_app(plan_path)
    async with app.run_test(size=size) as pilot:
        await open_plan(pilot)
        section = await go_to(pilot, "objectives")
        table = section.query_one("#objectives-table")
        table.focus()
        await pilot.pause()
        before = len(app.session.plan.objectives)
        await pilot.press("d")
        await wait_for_dialog(pilot, ChoiceDialog)
        assert buttons(app) == ["Oui (o)", "Non (n)"]
        assert "Oui (o)" in screen_text(app) and "Non (n)" in screen_text(app)
        await pilot.press("y")  # the English letter does nothing in French
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("o")
        await wait_until(pilot, lambda: not isinstance(app.screen, ChoiceDialog), what="the dialog to close")
        assert len(app.session.plan.objectives) == before - 1


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_french_quit_dialog_buttons_and_letters(plan_path, size):
    app = french_app(plan_path)
    async with app.run_test(size=size) as pilot:
        await open_plan(pilot)
        await go_to(pilot, "account")
        await type_text(pilot, "x")
        await pilot.press("ctrl+q")
        await wait_for_dialog(pilot, ChoiceDialog)
        assert buttons(app) == ["Enregistrer (e)", "Ne pas enregistrer (n)", "Annuler (a)"]
        text = screen_text(app)
        for label in buttons(app):
            assert label in text, label  # not cut at this size
        await pilot.press("a")
        await wait_until(pilot, lambda: not isinstance(app.screen, ChoiceDialog), what="cancelled")
        assert app.dirty and app.is_running


async def test_english_dialog_letters_stay(plan_path):
    app = french_app(plan_path, ui="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_plan(pilot)
        await go_to(pilot, "account")
        await type_text(pilot, "x")
        await pilot.press("ctrl+q")
        await wait_for_dialog(pilot, ChoiceDialog)
        assert buttons(app) == ["Save (s)", "Discard (d)", "Cancel (c)"]
        await pilot.press("c")
        await wait_until(pilot, lambda: not isinstance(app.screen, ChoiceDialog), what="cancelled")


# --- header and tab bar --------------------------------------------------------------------------


LONG_NAME = "Coopérative agricole des producteurs de fruits et légumes du Sud-Ouest"


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_french_header_keeps_its_state_whole_and_the_tab_bar_every_key(tmp_path, size):
    path = copy_demo(tmp_path / "plans", "cooperative-agricole-des-producteurs-de-fruits-2026-2027.toml")
    path.write_text(path.read_text("utf-8").replace('name = "Distrib SA"', f'name = "{LONG_NAME}"'), "utf-8")
    app = french_app(path)
    async with app.run_test(size=size) as pilot:
        await open_plan(pilot)
        header, tabs = screen_text(app).splitlines()[:2]
        assert "[enregistré]" in header
        await go_to(pilot, "account")
        await type_text(pilot, "x")
        await wait_until(pilot, lambda: "[non enregistré]" in screen_text(app).splitlines()[0], what="unsaved")
        header, tabs = screen_text(app).splitlines()[:2]
        assert "[non enregistré]" in header and "hors git" in header  # the states whole, the name cut
        assert len(header.rstrip()) <= size[0]
        for n in range(2, 11):
            assert f"F{n} " in tabs
        if size[0] >= 120:
            for name in ("Compte", "Diagnostic", "Marché", "Concurrence", "Relations", "Performance", "Objectifs"):
                assert name in tabs, name


# --- the diagnostic speaks the plan's language beside the plan's questions ----------------------


async def test_english_ui_on_a_french_plan_never_mixes_two_languages_on_a_line(plan_path):
    assert PlanFile.load(plan_path).plan.lang == "fr"
    app = french_app(plan_path, ui="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot)
        await go_to(pilot, "diagnostic")
        lines = screen_text(app).splitlines()
        # The question is the plan's (French); the checklist beside it (titles and state words)
        # stays in the interface's language, one language per line.
        assert any("Que sais-je vraiment de mon client" in line.split("│")[0] for line in lines)
        checklist = [line.split("│")[-1] for line in lines]
        assert any("Knowing the client  answered" in line for line in checklist)
        assert not any("Connaître" in line for line in checklist)


# --- numbers that tell the truth, as seen ---------------------------------------------------------


async def test_objective_bars_follow_the_status_not_the_percentage(plan_path):
    app = french_app(plan_path, ui="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot)
        section = await go_to(pilot, "objectives")
        table = section.query_one("#objectives-table")
        plan: Plan = app.session.plan
        rows = {o.id: n for n, o in enumerate(plan.objectives)}
        progress_column = table.shown_columns().index("progress")
        share_bar = table.get_row_at(rows["o-yf6wom"])[progress_column]  # 34 %, on track
        assert "34 %" in str(share_bar) and "green" in str(share_bar.style)
        stock_bar = table.get_row_at(rows["o-r4mccx"])[progress_column]  # 44 %, at risk
        assert "44 %" in str(stock_bar) and "yellow" in str(stock_bar.style)
        revenue_bar = table.get_row_at(rows["o-e6elpm"])[progress_column]  # quarter against quarter
        assert "14 %" in str(revenue_bar) and "green" in str(revenue_bar.style)


async def test_a_new_measure_lands_in_period_order(plan_path):
    app = french_app(plan_path, ui="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot)
        section = await go_to(pilot, "performance")
        table = section.query_one("#measures-table")
        last = table.row_count - 1  # the cursor on the last row: the item would go after it
        await table_add(pilot, table, {"kpi": "k-share", "period": "2026-12", "target": "6"}, after_row=last)
        periods = [m.period for m in app.session.plan.measures if m.kpi == "k-share"]
        assert periods == ["2026-10", "2026-11", "2026-12", "2027-01", "2027-03"]
        assert str(table.get_row_at(table.cursor_row)[1]) == "2026-12"  # and the cursor on it


@pytest.mark.parametrize(
    "share, status, style",
    [
        (0.3, "on-track", "green"),  # early in the year, on track: not red
        (0.9, "off-track", "red"),  # nearly there but off track, says the KAM
        (0.5, "at-risk", "yellow"),
        (1.0, "achieved", "green"),
        (0.2, "dropped", "dim"),
        (0.3, "", ""),  # no status, no colour
    ],
)
def test_bar_colour_follows_the_status(share, status, style):
    from kamtui.tui.widgets.cells import bar

    shown = bar(share, status=status)
    assert str(shown.style) == style
    assert f"{share * 100:3.0f} %" in str(shown)


# (at 120 columns the checklist is a 40-column panel on the right of every plan screen)
@pytest.mark.parametrize("ui", ["fr", "en"])
async def test_checklist_state_words_are_whole_at_120_columns(tmp_path, ui):
    from kamtui.store.plans import create_plan
    from kamtui.tui.i18n import t

    planfile = create_plan(tmp_path / "plans", "Acme", 2027, ui)  # every question unanswered
    app = french_app(planfile.path, ui=ui)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot)
        panel = [line.split("│")[-1].rstrip() for line in screen_text(app).splitlines()[2:]]
        unanswered = [line for line in panel if line.lstrip().startswith("○")]
        assert len(unanswered) == 7
        for line in unanswered:
            assert line.endswith(t("state.unanswered")), line
