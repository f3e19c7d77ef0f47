"""The diagnostic checklist: every question with its state, always in view."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...model.rules import ANSWERED, question_state
from ...model.plan import Plan
from ...model.questions import Question, QuestionBank
from ..i18n import has, lang, t

SYMBOLS = {"unanswered": "○", "draft": "◔", "to-confirm": "?", "answered": "●"}
STYLES = {"unanswered": "bold red", "draft": "bold yellow", "to-confirm": "bold magenta", "answered": "bold green"}


def state_label(state: str) -> str:
    """Symbol and word, never colour alone."""
    return f"{SYMBOLS[state]} {t('state.' + state)}"


class Checklist(Vertical):
    """Questions grouped by area with their state, and answered/total."""

    class Jump(Message):
        """The user asked to edit question ``qid``."""

        def __init__(self, qid: str) -> None:
            super().__init__()
            self.qid = qid

    _states: dict[str, str] | None = None  # what the list shows

    def compose(self) -> ComposeResult:
        # Built with the plan's states, so that the first frame is the finished one.
        self._states = question_states(self.app.plan, self.app.bank)
        yield Static(self._count(), id="checklist-count")
        options = OptionList(*question_options(self.app.bank, self._states, words=True), id="checklist-list")
        options.set_reactive(OptionList.highlighted, None)  # nothing picked until the user moves there
        yield options

    def refresh_states(self) -> None:
        plan, bank = self.app.plan, self.app.bank
        if plan is None:
            return
        states = question_states(plan, bank)
        if states == self._states:
            return  # typing on: nothing to redraw until a question changes state
        self._states = states
        show_options(self.query_one(OptionList), question_options(bank, states, words=True))
        self.query_one("#checklist-count", Static).update(self._count(), layout=False)

    def _count(self) -> Content:
        states = self._states or {}
        self.answered = sum(state == ANSWERED for state in states.values())
        self.total = len(states)
        return Content.from_markup("[b]$title[/b]  $n/$total", title=t("checklist.title"), n=self.answered,
                                   total=self.total)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Jump(event.option.id))


def short_title(question: Question) -> str:
    """A few words for the question: from the catalog for core ones, else its text."""
    key = f"question.{question.id}"
    return t(key) if has(key) else question.text(lang())


def question_states(plan: Plan, bank: QuestionBank) -> dict[str, str]:
    return {q.id: question_state(plan, q.id) for q in bank}


def question_options(bank: QuestionBank, states: dict[str, str], words: bool) -> list[Option]:
    """The questions by area, each with its state's symbol (and word, when ``words``)."""
    options: list[Option] = []
    for area, questions in bank.by_area():
        options.append(Option(Content.styled(t("area." + area), "bold"), disabled=True))
        for question in questions:
            state = states[question.id]
            word = (f"  {t('state.' + state)}", "dim") if words else ""
            options.append(Option(Content.assemble((f" {SYMBOLS[state]} ", STYLES[state]),
                                                   short_title(question), word), id=question.id))
    return options


def show_options(option_list: OptionList, options: list[Option]) -> None:
    """Replace the options, keeping the highlighted line."""
    highlighted = option_list.highlighted
    option_list.set_options(options)
    if highlighted is not None and highlighted < option_list.option_count:
        option_list.highlighted = highlighted
