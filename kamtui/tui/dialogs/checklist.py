"""The checklist over the screen, where there is no room for its column (ctrl+t below 110 columns):
every question with its state; Enter answers the one under the cursor."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from ..access import app_of
from ..commands import bindings
from ..i18n import t
from ..widgets.checklist import QuestionList, answered_count, checklist_states, question_lines
from .base import Dialog


class ChecklistDialog(Dialog[str | None]):
    """Answers the id of the question to go to, or None."""

    BINDINGS = bindings("dialog.dismiss")
    DEFAULT_CSS = """
    ChecklistDialog .dialog { width: 60; max-width: 100%; max-height: 100%; padding: 0 1; }
    ChecklistDialog QuestionList { height: auto; max-height: 20; }
    """

    def __init__(self, current: str | None = None) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        kam = app_of(self)
        states, stale = checklist_states(kam)
        with Vertical(classes="dialog"):
            yield Static(
                Content.assemble((t("checklist.title"), "bold"), f"  {answered_count(states)}/{len(states)}"),
                classes="dialog-title",
            )
            yield QuestionList(question_lines(kam.bank, states, stale, words=True), id="checklist-overlay")
            yield Static(Content(t("checklist.overlay_hint")), classes="dialog-hint")

    def on_mount(self) -> None:
        questions = self.query_one(QuestionList)
        states, _ = checklist_states(app_of(self))
        # The cursor on the question being answered, else on the first one still to answer.
        target = self.current or next((q for q, s in states.items() if s != "answered"), None)
        if target is not None and target in questions.qids():
            questions.cursor = questions.index_of(target)
        questions.focus()

    def on_question_list_selected(self, event: QuestionList.Selected) -> None:
        event.stop()
        self.dismiss(event.qid)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
