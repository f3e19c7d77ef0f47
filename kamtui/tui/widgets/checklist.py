"""The diagnostic checklist: every question with its state, always in view."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Static

from ...model.clock import today
from ...model.questions import Question, QuestionBank
from ...model.rules import ANSWERED, question_states, stale_answers
from ..access import UsesSession
from ..commands import bindings
from ..i18n import has, lang, t, t_in
from ..text import shown

SYMBOLS = {"unanswered": "○", "draft": "◔", "to-confirm": "?", "answered": "●"}
STYLES = {"unanswered": "bold red", "draft": "bold yellow", "to-confirm": "bold magenta", "answered": "bold green"}
STALE = "↻"  # beside a question whose answer has not been updated for the configured days

Line = tuple[Content, "str | None"]  # what a line shows, and its question's id (None: an area heading)


def state_label(state: str) -> str:
    """Symbol and word, never colour alone."""
    return f"{SYMBOLS[state]} {t('state.' + state)}"


class QuestionList(ScrollView, can_focus=True):
    """One line per area heading and per question, with a cursor on questions.

    Drawn line by line (only the lines in view), which keeps the checklist cheap to show at
    start-up and to redraw as answers change state.
    """

    BINDINGS = bindings(
        "checklist.down",
        "checklist.up",
        "checklist.page_down",
        "checklist.page_up",
        "checklist.first",
        "checklist.last",
        "checklist.open",
    )
    COMPONENT_CLASSES = {"question-list--heading", "question-list--cursor"}
    DEFAULT_CSS = """
    QuestionList {
        height: 1fr;
        overflow-x: hidden;
        background: $surface;
        & > .question-list--heading { color: $text-disabled; }
        & > .question-list--cursor {
            color: $foreground;
            background: $block-cursor-blurred-background;
        }
        &:focus {
            background-tint: $foreground 5%;
            & > .question-list--cursor {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
    }
    """

    cursor: reactive[int | None] = reactive(None)
    """The line of the question under the cursor (None until the user moves onto the list)."""

    class Selected(Message):
        """Enter (or a click) on a question."""

        def __init__(self, qid: str) -> None:
            super().__init__()
            self.qid = qid

    def __init__(self, lines: list[Line], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lines = lines
        self.virtual_size = Size(0, len(lines))

    # --- what it shows ---------------------------------------------------------

    def set_lines(self, lines: list[Line]) -> None:
        """Show new lines, the cursor staying on the same line."""
        self.lines = lines
        self.virtual_size = Size(0, len(lines))
        if self.cursor is not None and (self.cursor >= len(lines) or lines[self.cursor][1] is None):
            self.cursor = None
        self.refresh()

    def qids(self) -> list[str]:
        return [qid for _, qid in self.lines if qid is not None]

    def index_of(self, qid: str) -> int:
        return next(n for n, (_, line_qid) in enumerate(self.lines) if line_qid == qid)

    def text_of(self, qid: str) -> str:
        return self.lines[self.index_of(qid)][0].plain

    @property
    def cursor_qid(self) -> str | None:
        return None if self.cursor is None else self.lines[self.cursor][1]

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        if index >= len(self.lines):
            return Strip.blank(width, self.rich_style)
        content, qid = self.lines[index]
        if qid is None:
            style = self.get_visual_style("question-list--heading")
        elif index == self.cursor:
            style = self.get_visual_style("question-list--cursor")
        else:
            style = self.visual_style
        segments = content.truncate(width, ellipsis=True).render_segments(style)
        return Strip(segments).extend_cell_length(width, style.rich_style)

    def watch_cursor(self, old: int | None, new: int | None) -> None:
        if new is not None:
            top, height = self.scroll_offset.y, self.scrollable_content_region.height
            if new < top:
                self.scroll_to(y=new, animate=False)
            elif height and new >= top + height:
                self.scroll_to(y=new - height + 1, animate=False)
        self.refresh()

    # --- keys and mouse --------------------------------------------------------

    def _questions(self) -> list[int]:
        return [n for n, (_, qid) in enumerate(self.lines) if qid is not None]

    def action_move(self, step: int) -> None:
        questions = self._questions()
        if not questions:
            return
        if self.cursor is None:
            self.cursor = questions[0] if step > 0 else questions[-1]
            return
        ahead = [n for n in questions if (n > self.cursor if step > 0 else n < self.cursor)]
        if ahead:
            self.cursor = ahead[0] if step > 0 else ahead[-1]

    def action_page(self, direction: int) -> None:
        for _ in range(max(1, self.scrollable_content_region.height - 1)):
            self.action_move(direction)

    def action_edge(self, end: int) -> None:
        questions = self._questions()
        if questions:
            self.cursor = questions[-1] if end else questions[0]

    def action_select(self) -> None:
        if self.cursor_qid is not None:
            self.post_message(self.Selected(self.cursor_qid))

    def on_click(self, event: Click) -> None:
        index = self.scroll_offset.y + event.y
        if 0 <= index < len(self.lines) and self.lines[index][1] is not None:
            self.cursor = index
            self.action_select()


class Checklist(UsesSession, Vertical):
    """Questions grouped by area with their state, and answered/total. Follows every change of the
    plan (the app's ``plan_version``): typing an answer, an undo, a reload."""

    class Jump(Message):
        """The user asked to edit question ``qid``."""

        def __init__(self, qid: str) -> None:
            super().__init__()
            self.qid = qid

    _states: tuple[dict[str, str], frozenset[str]] | None = None  # what the list shows: states, stale

    def compose(self) -> ComposeResult:
        # Built with the plan's states, so that the first frame is the finished one.
        self._states = checklist_states(self.kam)
        yield Static(self._count(), id="checklist-count")
        yield QuestionList(question_lines(self.kam.bank, *self._states, words=True), id="checklist-list")

    def on_mount(self) -> None:
        self.watch(self.app, "plan_version", self.refresh_states, init=False)

    def refresh_states(self) -> None:
        session = self.kam.session
        if session is None:
            return
        states = checklist_states(self.kam)
        if states == self._states:
            return  # typing on: nothing to redraw until a question changes state
        self._states = states
        self.query_one(QuestionList).set_lines(question_lines(self.kam.bank, *states, words=True))
        self.query_one("#checklist-count", Static).update(self._count(), layout=False)

    def follow(self, qid: str) -> None:
        """Put the cursor on the question the Diagnostic shows."""
        questions = self.query_one(QuestionList)
        if qid in questions.qids():
            questions.cursor = questions.index_of(qid)

    @property
    def answered(self) -> int:
        return answered_count(self._states[0] if self._states else {})

    @property
    def total(self) -> int:
        return len(self._states[0]) if self._states else 0

    def _count(self) -> Content:
        return Content.assemble((t("checklist.title"), "bold"), f"  {self.answered}/{self.total}")

    def on_question_list_selected(self, event: QuestionList.Selected) -> None:
        event.stop()
        self.post_message(self.Jump(event.qid))


class ChecklistSummary(UsesSession, Static):
    """The checklist in one line, where there is no room for its column: answered / total and the
    next question to answer, with the key that opens the whole list."""

    DEFAULT_CSS = "ChecklistSummary { height: 1; padding: 0 1; background: $panel; }"

    _states: tuple[dict[str, str], frozenset[str]] | None = None

    def on_mount(self) -> None:
        self.watch(self.app, "plan_version", self.refresh_states)

    def refresh_states(self) -> None:
        if self.kam.session is None:
            return
        states = checklist_states(self.kam)
        if states != self._states:
            self._states = states
            self.update(self.summary(), layout=False)

    def summary(self) -> Content:
        states, stale = self._states or ({}, frozenset())
        bank = self.kam.bank
        head = Content.assemble(
            (t("checklist.title"), "bold"), f" {answered_count(states)}/{len(states)}", ("  ·  ", "dim")
        )
        waiting = [q for q in bank if states.get(q.id) != ANSWERED]
        if waiting:
            state = states[waiting[0].id]
            head = head + Content.assemble(
                t("checklist.next"), " ", (SYMBOLS[state], STYLES[state]), " ", short_title(waiting[0])
            )
        else:
            head = head + Content(t("checklist.all_answered"))
        if stale:
            head = head + Content.assemble(
                ("  ·  ", "dim"), (STALE, "bold yellow"), " ", t("checklist.stale_count", n=len(stale))
            )
        return head


def checklist_states(kam: Any) -> tuple[dict[str, str], frozenset[str]]:
    """Each question's state, and the questions whose answer is stale (SPEC: not updated for the
    configured number of days)."""
    plan, bank = kam.session.plan, kam.bank
    stale = frozenset(q.id for q, _ in stale_answers(plan, bank, today(), kam.config.stale_days))
    return question_states(plan, bank), stale


def answered_count(states: dict[str, str]) -> int:
    return sum(state == ANSWERED for state in states.values())


def short_title(question: Question, language: str | None = None) -> str:
    """A few words for the question, in ``language`` (default: the interface's): from the catalog
    for core ones, else its text (from a template: controls shown as stand-ins)."""
    language = language or lang()
    key = f"question.{question.id}"
    return t_in(language, key) if has(key) else shown(question.text(language))


def area_title(area: str, language: str | None = None) -> str:
    """An area's name in ``language`` (default: the interface's): from the catalog, else as a
    template wrote it."""
    key = f"area.{area}"
    return t_in(language or lang(), key) if has(key) else shown(area)


def question_lines(
    bank: QuestionBank,
    states: dict[str, str],
    stale: frozenset[str] = frozenset(),
    *,
    words: bool,
    language: str | None = None,
) -> list[Line]:
    """The questions by area, each with its state's symbol (and word, when ``words``), and the
    stale mark (symbol and word) on those whose answer is stale. Titles in ``language`` (default:
    the interface's)."""
    lines: list[Line] = []
    for area, questions in bank.by_area():
        lines.append((Content.styled(area_title(area, language), "bold"), None))
        for question in questions:
            state = states[question.id]
            word = (f"  {t('state.' + state)}", "dim") if words else ""
            old = (f"  {STALE} {t('state.stale')}", "yellow") if question.id in stale else ""
            lines.append(
                (
                    Content.assemble(
                        (f" {SYMBOLS[state]} ", STYLES[state]), short_title(question, language), word, old
                    ),
                    question.id,
                )
            )
    return lines
