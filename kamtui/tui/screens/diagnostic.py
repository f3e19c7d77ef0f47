"""Diagnostic: answer each question with the client's view, set its status, list the gaps."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Select, Static, TextArea

from ...model.clock import today
from ...model.convert import answer_is_blank
from ...model.plan import STATUSES, Answer
from ...model.rules import ask_whom, stale_answers
from ...session import Where
from ..commands import bindings
from ..i18n import t, value_label
from ..text import plan_content, show
from ..widgets.checklist import STALE
from ..widgets.columns import Col, Importance
from ..widgets.detail import TableView
from ..widgets.form import TextBox
from ..widgets.itemtable import ItemTable
from .base import Section, focus_now

# Gaps: what is still to find out, whom to ask and whether it is resolved — all three must be seen.
GAPS_IMPORTANCE = Importance(must=("question", "ask", "resolved"))


class DiagnosticSection(Section):
    """One question at a time, around its answer: the question, its hint, the status, a large
    answer box; then the gaps. The checklist is the list of questions (beside the section, or
    ctrl+t below 110 columns); ctrl+down / ctrl+up go to the next / previous question."""

    BINDINGS = bindings("diagnostic.next", "diagnostic.previous")
    DEFAULT_CSS = """
    #question-text { margin-top: 1; }
    #question-hint { color: $text-muted; }
    #status-row { height: 3; }
    #status-row .field-label { width: auto; padding: 1 1 0 0; color: $text-muted; }
    #status-row Select { width: 26; }
    #updated { width: 1fr; height: 3; padding: 1 0 0 2; color: $text-muted; }
    #answer { height: 14; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.qid = self.kam.bank[0].id

    def compose(self) -> ComposeResult:
        # Editors start with the plan's values: a widget settling on a default must not edit the plan.
        entry = self.session.plan.diagnostic.get(self.qid)
        yield self.heading("section.diagnostic")
        yield Static("", id="question-text")
        yield Static("", id="question-hint")
        with Horizontal(id="status-row"):
            yield Static(Content(t("field.status")), classes="field-label")
            yield Select(
                [(value_label(s), s) for s in STATUSES],
                allow_blank=True,
                prompt=t("state.unanswered"),
                id="answer-status",
                value=self._status_value(entry),
            )
            yield Static("", id="updated")
        yield TextBox(entry.answer if entry else "", id="answer", soft_wrap=True)
        yield self.heading("heading.gaps")
        yield TableView(  # a long gap is read whole in the detail panel
            ItemTable(
                "gaps",
                [
                    Col("question", "field.question", lambda g: g.question, width=40, least=16, main=True),
                    Col("ask", "field.ask", lambda g: ask_whom(self.session.plan, g), width=20, least=10),
                    Col("resolved", "field.resolved", self._resolved, width=8, least=3),
                ],
                GAPS_IMPORTANCE,
                row_style=lambda g: "dim" if g.resolved else "",
                depends=("stakeholders",),
                id="gaps-table",
            )
        )

    @staticmethod
    def _resolved(gap: Any) -> str:
        return t("value.yes") if gap.resolved else t("value.no")

    def on_mount(self) -> None:
        super().on_mount()
        self.load_question(self.qid)

    @staticmethod
    def _status_value(entry: Answer | None) -> Any:
        """What the status select shows: blank ("unanswered") for a question never answered."""
        return Select.NULL if entry is None or answer_is_blank(entry) else entry.status

    def load_question(self, qid: str) -> None:
        question = self.kam.bank.by_id(qid)
        if question is None:
            return
        self.qid = qid
        plan = self.session.plan
        entry = plan.diagnostic.get(qid)
        # A template's question: its text is data, shown literally.
        self.query_one("#question-text", Static).update(plan_content(question.text(plan.lang), "bold", multiline=True))
        self.query_one("#question-hint", Static).update(
            plan_content(question.hint(plan.lang), "italic", multiline=True)
        )
        with self.prevent(TextArea.Changed, Select.Changed):
            area = self.query_one("#answer", TextArea)
            area.load_text(entry.answer if entry else "")
            area.move_cursor(area.document.end)
            self.query_one("#answer-status", Select).value = self._status_value(entry)
        self._show_updated()
        self._follow(qid)

    def _follow(self, qid: str) -> None:
        """The checklist beside the section puts its cursor on this question."""
        from ..widgets.checklist import Checklist

        for checklist in self.screen.query(Checklist):
            checklist.follow(qid)

    def step_question(self, step: int) -> None:
        """The next (``step`` 1) or previous (-1) question, in the checklist's order, round."""
        ids = [question.id for question in self.kam.bank]
        if self.qid in ids:
            self.select_question(ids[(ids.index(self.qid) + step) % len(ids)])

    def action_next_question(self) -> None:
        self.step_question(1)

    def action_previous_question(self) -> None:
        self.step_question(-1)

    def _show_answer(self) -> None:
        """The question's answer and status as the plan has them now (after an undo, a reload), the
        text box left alone when it already holds that text (the user is typing in it)."""
        entry = self.session.plan.diagnostic.get(self.qid)
        answer, status = (entry.answer if entry else ""), self._status_value(entry)
        with self.prevent(TextArea.Changed, Select.Changed):
            area = self.query_one("#answer", TextArea)
            if area.text != answer:
                area.load_text(answer)
                area.move_cursor(area.document.end)
            select = self.query_one("#answer-status", Select)
            if select.value != status:
                select.value = status
        self._show_updated()

    def _show_updated(self) -> None:
        """When the answer was last updated, and the stale mark (symbol and word) when it is old."""
        entry = self.session.plan.diagnostic.get(self.qid)
        when = entry.updated.isoformat() if entry and entry.updated else "—"
        text = Content(t("diagnostic.updated", date=when))
        days = self.kam.config.stale_days
        question = self.kam.bank.by_id(self.qid)  # runs on every key typed: this question only
        if question is not None and stale_answers(self.session.plan, [question], today(), days):
            text = text + Content.assemble("  ", (f"{STALE} {t('diagnostic.stale', days=days)}", "bold yellow"))
        show(self.query_one("#updated", Static), text, layout=False)  # typing on: changes once, not per key

    def show_plan(self, touched: frozenset[str]) -> None:
        super().show_plan(touched)
        if "*" in touched or "diagnostic" in touched or "top" in touched:
            if "*" in touched or "top" in touched:
                self.load_question(self.qid)  # the plan's language may have changed
            else:
                self._show_answer()

    def show_change(self, where: Where) -> None:
        if where.part == "answer":
            self.select_question(where.key)
            if where.field == "status":
                focus_now(self.query_one("#answer-status", Select))
            return
        super().show_change(where)

    def select_question(self, qid: str) -> None:
        self.load_question(qid)
        self.focus_from_top(self.query_one("#answer", TextArea))

    def on_show_section(self) -> None:
        if self._stale:
            self.catch_up()
        self.focus_from_top(self.query_one("#answer", TextArea))

    @on(TextArea.Changed, "#answer")
    def _answer_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        if self.kam.read_only_notice():
            return
        self.session.set_answer(self.qid, answer=event.text_area.text, typing=True)

    @on(Select.Changed, "#answer-status")
    def _status_changed(self, event: Select.Changed) -> None:
        event.stop()
        # The select's value now, not the event's: a Changed posted while the select mounted
        # (its first option) arrives after load_question and must not overwrite the status.
        select = event.select
        value = select.value
        entry = self.session.plan.diagnostic.get(self.qid)
        if value is Select.NULL or value == self._status_value(entry):
            return
        if self.kam.read_only_notice():
            return
        if value == "answered" and not (entry and entry.answer.strip()):
            # An answered question needs its answer: "answered" on a blank one would hide it
            # from the agenda with nothing to show for it.
            with self.prevent(Select.Changed):
                select.value = self._status_value(entry)
            self.notify(t("diagnostic.need_answer"), severity="warning", markup=False)
            self.query_one("#answer", TextArea).focus()
            return
        self.session.set_answer(self.qid, status=str(value))


SECTION = DiagnosticSection
