"""Control characters from plan text and file names shown as stand-ins (SPEC §9.9): the one
function (kamtui.model.text.visible), the TUI's helpers around it, the last-resort line filter."""

from __future__ import annotations

import json
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import App
from textual.color import Color
from textual.content import Content
from textual.widgets import Input, Static

from kamtui.model.plan import Action, Plan, Stakeholder
from kamtui.model.text import ALIGNED, ESCAPES, JSON, MODES, PICTURES, control_names, plan_controls, visible
from kamtui.tui.dialogs.choice import ChoiceDialog, MessageDialog
from kamtui.tui.text import (
    EDITOR_HIGHLIGHTER,
    ControlFilter,
    FilterChain,
    editor_line,
    plan_content,
    safe_content,
    shown,
)
from kamtui.tui.widgets.cells import cell
from kamtui.tui.widgets.form import TextBox, text_input


def is_control(char: str) -> bool:
    """What must never be shown raw: C0, DEL, C1, lone surrogates, bidi embeddings/overrides/isolates."""
    code = ord(char)
    return code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF or char in BIDI


BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
HOSTILE = "\x1b]0;pwned\x1b\\ \x1b]52;c;cHduZWQ=\x1b\\ \x9b2J \x1b[2J \x07\x00\x7f\u202e\udc9b"

# Any text, the dangerous characters well represented.
texts = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.characters(min_codepoint=0, max_codepoint=0x20),
        st.characters(min_codepoint=0x7F, max_codepoint=0xA0),
        st.sampled_from(BIDI + "\ud800\udc9b\udfff\n\t\r"),
    )
)
clean_texts = st.text(alphabet=st.characters(codec="utf-8").filter(lambda c: not is_control(c) or c in "\n\t"))


@given(texts, st.sampled_from(MODES), st.booleans())
def test_the_result_never_holds_a_control_character(text, mode, multiline):
    result = visible(text, multiline=multiline, mode=mode)
    allowed = "\n\t" if multiline else ""
    assert [c for c in result if is_control(c) and c not in allowed] == []


@given(clean_texts.filter(lambda t: "\n" not in t and "\t" not in t), st.sampled_from(MODES))
def test_text_without_controls_is_unchanged(text, mode):
    assert visible(text, mode=mode) is text  # the fast path: nothing copied
    assert visible(text, multiline=True, mode=mode) is text


@given(texts)
def test_newline_and_tab_are_kept_only_in_multiline_text(text):
    assert visible(text, multiline=True).count("\n") == text.count("\n")
    assert visible(text, multiline=True).count("\t") == text.count("\t")
    assert "\n" not in visible(text) and "\t" not in visible(text)


@given(texts, st.booleans())
def test_aligned_stand_ins_keep_every_position(text, multiline):
    """Editors index the real value: one stand-in per character."""
    result = visible(text, multiline=multiline, mode=ALIGNED)
    assert len(result) == len(text)
    assert all(a == b for a, b in zip(result, text, strict=True) if not is_control(b) or (multiline and b in "\n\t"))


@given(texts, st.sampled_from(MODES))
def test_showing_twice_changes_nothing_more(text, mode):
    once = visible(text, mode=mode)
    assert visible(once, mode=mode) == once


@given(texts.filter(lambda t: all(not 0xD800 <= ord(c) <= 0xDFFF for c in t)))
def test_json_mode_gives_valid_json_holding_the_exact_text(text):
    dumped = json.dumps({"name": text}, ensure_ascii=False, indent=2)
    shown_json = visible(dumped, multiline=True, mode=JSON)
    assert [c for c in shown_json if is_control(c) and c != "\n"] == []
    assert json.loads(shown_json) == {"name": text}


def test_the_stand_ins():
    assert visible("a\x1b]0;x\x1b\\b") == "a␛]0;x␛\\b"
    assert visible("\x00\x07\x7f\t\n") == "␀␇␡␉␊"
    assert visible("\x9b2J") == "\\x9b2J"  # C1 has no picture
    assert visible("evil\u202etxt.toml") == "evil\\u202etxt.toml"
    assert visible("caf\udce9.toml") == "caf\\xe9.toml"  # a file name that isn't UTF-8: its byte
    assert visible("a\tb\nc\x1b", multiline=True) == "a\tb\nc␛"
    assert visible("a\tb\r\n\x1b\x9b", mode=ESCAPES) == "a\\tb\\r\\n\\x1b\\x9b"
    assert visible("\x1b\x9b\u202e\udc9b", mode=ALIGNED) == "␛\ufffd\ufffd\ufffd"
    assert visible("\x1b\x9b", mode=JSON) == "\\u001b\\u009b"


def test_what_is_left_alone():
    """Zero-width joiners (emoji, Persian), marks, no-break spaces, accents: text, not controls."""
    text = "👩\u200d💻 \u200c \u200e\u200f \xa0 é 15\u202f000 \u2028"
    assert visible(text) is text


def test_control_names():
    assert control_names("a\x1b]0;x\x1b\\ \x9b \u202e \x7f \udc9b\tx") == ["ESC", "CSI", "RLO", "DEL", "U+DC9B", "HT"]
    assert control_names("line\nnext\ttab", multiline=True) == []


def test_unknown_mode_is_an_error():
    with pytest.raises(ValueError):
        visible("\x1b", mode="colour")
    assert PICTURES in MODES


def test_plan_controls_lists_the_fields_with_their_paths():
    plan = Plan()
    plan.account.name = "Acme\x1b]0;pwned\x1b\\"
    plan.account.summary = "two\nlines\tand a tab"  # long text: newlines are text
    plan.account.group = "one\nline"  # one-line text: a newline is a control
    plan.answer("know-client").answer = "\x9b2J"
    plan.answer("q\x1b")
    plan.swot.threats = ["ok", "bad\x07"]
    plan.stakeholders = [Stakeholder(id="s-1", name="ok"), Stakeholder(id="s-2", notes="\u202e")]
    plan.actions = [Action(id="a-1", title="\x7f")]
    assert list(plan_controls(plan)) == [
        ("account.name", ["ESC"]),
        ("account.group", ["LF"]),
        ("diagnostic.know-client.answer", ["CSI"]),
        ("diagnostic.q\x1b", ["ESC"]),
        ("swot.threats[2]", ["BEL"]),
        ("stakeholders[2].notes", ["RLO"]),
        ("actions[1].title", ["DEL"]),
    ]


# --- the TUI's helpers -----------------------------------------------------------------


def test_shown_and_plan_content():
    assert shown(None) == ""
    assert shown(12.5) == "12.5"
    assert shown(HOSTILE) == "␛]0;pwned␛\\ ␛]52;c;cHduZWQ=␛\\ \\x9b2J ␛[2J ␇␀␡\\u202e\\x9b"
    assert shown("a\nb") == "a␊b" and shown("a\nb", multiline=True) == "a\nb"
    content = plan_content("[b]x[/b]\x1b[2J", "bold")
    assert content.plain == "[b]x[/b]␛[2J"  # literal: never markup
    assert content.spans and content.spans[0].style == "bold"


def test_table_cells_show_stand_ins_on_one_line():
    assert cell("Acme\x1b]0;pwned\x1b\\\nsecond line").plain == "Acme␛]0;pwned␛\\"
    assert cell("x" * 50).plain == "x" * 35 + "…"


def test_editors_draw_stand_ins_one_for_one():
    text = Text("ab\x1b]0;t\x1b\\c\x9b")
    text.stylize("bold", 3, 5)
    shown_text = EDITOR_HIGHLIGHTER(text)
    assert shown_text.plain == "ab␛]0;t␛\\c\ufffd"
    assert shown_text.spans == text.spans  # the cursor and the selection stay on their characters
    assert editor_line("a\tb\x1b") == "a\tb␛"


def test_the_line_filter_removes_controls_and_keeps_the_width():
    style = Style(bold=True)
    segments = [Segment("ok ", style), Segment("a\x1b]0;x\x1b\\b\x9b\u202e", None), Segment("\x1b"), Segment("\udc9b!")]
    filtered = ControlFilter().apply(segments, Color(0, 0, 0))
    assert [s.text for s in filtered] == ["ok ", "a]0;x\\b", "\ufffd!"]
    assert filtered[0] is segments[0]
    assert sum(cell_len(s.text) for s in filtered) == sum(cell_len(s.text) for s in segments)
    clean = [Segment("nothing to do", style)]
    assert ControlFilter().apply(clean, Color(0, 0, 0)) is clean


def test_the_app_applies_textuals_filters_then_the_control_filter_as_one(tmp_path):
    """One filter for Textual to apply to each line drawn (it makes a new line per filter), the same
    one while the enabled filters are the same, Textual's first and the control filter last."""
    from kamtui.store.config import Config
    from kamtui.tui.app import KamApp

    app = KamApp(path=None, lang="en", folder=tmp_path, config=Config(lang="en", plans_dir=tmp_path))
    (chain,) = app.get_line_filters()
    assert isinstance(chain, FilterChain)
    assert app.get_line_filters() == [chain]  # kept: each line keeps its filtered copy by filter
    theirs = list(App.get_line_filters(app))
    assert theirs and list(chain.filters) == [*theirs, app._control_filter]
    segments = [Segment("x\x1b]0;t\x1b\\y", Style(color="red"))]
    assert [s.text for s in chain.apply(segments, Color(0, 0, 0))] == ["x]0;t\\y"]
    theirs[0].enabled = not theirs[0].enabled  # a filter turned off (or on): a new chain
    assert app.get_line_filters() != [chain]


def test_control_pictures_are_one_cell_wide():
    """The stand-ins keep columns aligned: one cell for one character (the pictures' width is
    what terminals and Rich agree on)."""
    pictures = visible("".join(chr(c) for c in range(0x20)) + "\x7f")
    assert all(unicodedata.east_asian_width(c) == "N" and cell_len(c) == 1 for c in pictures)


def test_a_content_made_elsewhere_keeps_its_styles():
    content = Content.assemble(("Title\n", "bold"), "changed: \x1b]0;pwned\x1b\\ → ", ("\x9bnew", "italic"))
    safe = safe_content(content)
    assert safe.plain == "Title\nchanged: ␛]0;pwned␛\\ → \ufffdnew"
    assert list(safe.spans) == list(content.spans)
    plain = Content("nothing\tto do\n")
    assert safe_content(plain) is plain


class Editors(App[None]):
    """An Input and a TextArea as the plan's forms make them, holding hostile values."""

    def compose(self):
        yield text_input("name\x1b]0;pwned\x1b\\\x9b", id="one")
        yield TextBox("first\x1b[2J\nsecond\x1b]52;c;eA==\x1b\\", id="long")


async def test_editors_keep_the_value_and_draw_stand_ins():
    """Textual's Input and TextArea draw their value as it is (Rich keeps ESC): the forms' editors
    draw stand-ins instead, and hold the exact value."""
    app = Editors()
    async with app.run_test(size=(80, 12)) as pilot:
        one, long = app.query_one("#one", Input), app.query_one("#long", TextBox)
        await pilot.pause()
        drawn = [one.render_line(0).text, long.render_line(0).text, long.render_line(1).text]
        assert [c for line in drawn for c in line if ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F] == []
        assert "name␛]0;pwned␛\\\ufffd" in drawn[0] and "first␛[2J" in drawn[1] and "second␛]52;c;eA==␛\\" in drawn[2]
        assert one.value == "name\x1b]0;pwned\x1b\\\x9b"
        assert long.text == "first\x1b[2J\nsecond\x1b]52;c;eA==\x1b\\"


async def test_dialogs_show_titles_and_messages_literally():
    class Host(App[None]):
        pass

    app = Host()
    async with app.run_test(size=(120, 30)) as pilot:
        await app.push_screen(MessageDialog("Cannot open bad\x1b]0;pwned\x1b\\.toml", Content("diff\x9b2J")))
        await pilot.pause()
        texts = [str(static.visual) for static in app.screen.query(Static)]
        assert "Cannot open bad␛]0;pwned␛\\.toml" in texts and "diff\ufffd2J" in texts
        await app.push_screen(ChoiceDialog("t\x07", "line one\nname: \x1b[2J", [("yes", "Yes", "y")]))
        await pilot.pause()
        texts = [str(static.visual) for static in app.screen.query(Static)]
        assert "t␇" in texts and "line one\nname: ␛[2J" in texts
