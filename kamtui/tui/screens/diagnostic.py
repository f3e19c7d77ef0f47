"""Diagnostic: answer each question with the client's view, set its status, list the gaps."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from ...model.plan import STATUSES
from ...model.rules import ask_whom, question_states
from ...session import Where
from ..i18n import t, value_label
from ..text import plan_content
from ..widgets.checklist import question_lines
from ..widgets.form import TextBox
from ..widgets.itemtable import ItemTable
from .base import Section


class DiagnosticSection(Section):
    DEFAULT_CSS = """
    #diag-body { height: auto; }
    #questions { width: 32; height: 18; }
    #question-editor { width: 1fr; height: auto; padding: 0 1; }
    #question-hint { color: $text-muted; margin-bottom: 1; }
    #status-row { height: 3; }
    #status-row .field-label { width: auto; padding: 1 1 0 0; color: $text-muted; }
    #status-row Select { width: 24; }
    #updated { height: 1; color: $text-muted; }
    #answer { height: 12; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.qid = self.kam.bank[0].id
        self._states: dict[str, str] | None = None  # what the question list shows
        self._shown_updated = ""

    def compose(self) -> ComposeResult:
        # Editors start with the plan's values: a widget settling on a default must not edit the plan.
        entry = self.session.plan.diagnostic.get(self.qid)
        yield self.heading("section.diagnostic")
        with Horizontal(id="diag-body"):
            yield OptionList(id="questions")
            with Vertical(id="question-editor"):
                yield Static("", id="question-text")
                yield Static("", id="question-hint")
                with Horizontal(id="status-row"):
                    yield Static(Content(t("field.status")), classes="field-label")
                    yield Select(
                        [(value_label(s), s) for s in STATUSES],
                        allow_blank=False,
                        id="answer-status",
                        value=entry.status if entry else "draft",
                    )
                yield TextBox(entry.answer if entry else "", id="answer", soft_wrap=True)
                yield Static("", id="updated")
        yield self.heading("heading.gaps")
        yield ItemTable(
            "gaps",
            [
                ("field.question", lambda g: g.question),
                ("field.ask", lambda g: ask_whom(self.session.plan, g)),
                ("field.resolved", lambda g: t("value.yes") if g.resolved else t("value.no")),
            ],
            row_style=lambda g: "dim" if g.resolved else "",
            depends=("stakeholders",),
            id="gaps-table",
        )

    def on_mount(self) -> None:
        super().on_mount()
        self._fill_list()
        self.load_question(self.qid)

    def _fill_list(self) -> None:
        states = question_states(self.session.plan, self.kam.bank)
        if states != self._states:
            self._states = states
            option_list = self.query_one("#questions", OptionList)
            highlighted = option_list.highlighted
            option_list.set_options(
                [
                    Option(content, id=qid, disabled=qid is None)
                    for content, qid in question_lines(
                        self.kam.bank, states, words=False, language=self.session.plan.lang
                    )
                ]
            )
            if highlighted is not None and highlighted < option_list.option_count:
                option_list.highlighted = highlighted  # stays on the question being answered

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
            self.query_one("#answer-status", Select).value = entry.status if entry else "draft"
        self._show_updated()

    def _show_answer(self) -> None:
        """The question's answer and status as the plan has them now (after an undo, a reload), the
        text box left alone when it already holds that text (the user is typing in it)."""
        entry = self.session.plan.diagnostic.get(self.qid)
        answer, status = (entry.answer, entry.status) if entry else ("", "draft")
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
        entry = self.session.plan.diagnostic.get(self.qid)
        when = entry.updated.isoformat() if entry and entry.updated else "—"
        text = t("diagnostic.updated", date=when)
        if text != self._shown_updated:  # typing on: the date changes once, not on every key
            self._shown_updated = text
            self.query_one("#updated", Static).update(Content(text), layout=False)

    def show_plan(self, touched: frozenset[str]) -> None:
        super().show_plan(touched)
        if "*" in touched or "diagnostic" in touched or "top" in touched:
            if "*" in touched or "top" in touched:
                self.load_question(self.qid)  # the plan's language may have changed
            else:
                self._show_answer()
            self._fill_list()

    def show_change(self, where: Where) -> None:
        if where.part == "answer":
            self.select_question(where.key)
            if where.field == "status":
                self.query_one("#answer-status", Select).focus()
            return
        super().show_change(where)

    def select_question(self, qid: str) -> None:
        self.load_question(qid)
        option_list = self.query_one("#questions", OptionList)
        try:
            option_list.highlighted = option_list.get_option_index(qid)
        except Exception:  # noqa: BLE001 - a question missing from the list
            pass
        self.query_one("#answer", TextArea).focus()

    def on_show_section(self) -> None:
        if self._stale:
            self.catch_up()
        self.query_one("#answer", TextArea).focus()

    @on(OptionList.OptionHighlighted, "#questions")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option.id and event.option.id != self.qid:
            self.load_question(event.option.id)

    @on(OptionList.OptionSelected, "#questions")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.select_question(event.option.id)

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
        value = event.select.value
        entry = self.session.plan.diagnostic.get(self.qid)
        if value is Select.NULL or value == (entry.status if entry else "draft"):
            return
        if self.kam.read_only_notice():
            return
        self.session.set_answer(self.qid, status=str(value))


SECTION = DiagnosticSection
