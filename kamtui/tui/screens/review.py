"""Review: a read-only walk through what matters before meeting the client."""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Static

from ...model import clock
from ...model.rules import (
    ANSWERED,
    TO_CONFIRM,
    ask_whom,
    completeness,
    days_since,
    due_soon,
    key_people,
    needs_contact,
    objective_progress,
    open_gaps,
    overdue_sorted,
    question_states,
    stale_answers,
)
from ..commands import SECTIONS, bindings
from ..i18n import t, value_label
from ..text import shown
from ..widgets.cells import bar
from ..widgets.checklist import state_label
from .base import Section


class ReviewSection(Section):
    """Everything here is read-only: j/k scroll, the plan is not changed."""

    BINDINGS = bindings("review.down", "review.up")

    def compose(self) -> ComposeResult:
        yield self.heading("section.review")
        yield Static(self._content(), id="review-body")

    def on_show_section(self) -> None:
        if self._stale:
            self.catch_up()
        self.focus()

    def show_plan(self, touched: frozenset[str]) -> None:
        self.query_one("#review-body", Static).update(self._content())

    def _content(self) -> Content:
        return review_content(self.session.plan, self.kam.bank, self.kam.config)


LIST_MAX = 12  # lines per list: a review is read before a meeting, the full lists are a key away


def _more(count: int, section: str) -> list[Content]:
    """The line that says how many more there are, and where to see them all."""
    if count <= LIST_MAX:
        return []
    fkey = dict(SECTIONS)[section].upper()
    return [
        Content.styled(
            "  " + t("review.more", n=count - LIST_MAX, fkey=fkey, section=t(f"section.{section}")),
            "dim",
        )
    ]


def _h(key: str, **values: Any) -> Content:
    return Content.styled("\n" + t(key, **values) + "\n", "bold underline")


def review_content(plan: Any, bank: Any, config: Any, today: dt.date | None = None) -> Content:
    today = today or clock.today()
    parts: list[Content] = []
    account = plan.account
    parts.append(
        Content.styled(f"{shown(account.name)} — {t('review.completeness', pct=completeness(plan, bank))}", "bold")
    )
    states = question_states(plan, bank)
    agenda = [q for q in bank if states[q.id] != ANSWERED]
    parts.append(_h("review.agenda", n=len(agenda)))
    for q in agenda:
        state = states[q.id]
        mark = "bold magenta" if state == TO_CONFIRM else ""
        parts.append(Content.assemble((f"  {state_label(state)}  ", mark), shown(q.text(plan.lang))))
    gaps = open_gaps(plan)
    parts.append(_h("review.gaps", n=len(gaps)))
    for gap in gaps:
        parts.append(Content.assemble("  • ", shown(gap.question), ("  → " + shown(ask_whom(plan, gap)), "dim")))
    late = overdue_sorted(plan, today)
    parts.append(_h("review.overdue", n=len(late)))
    for action in late[:LIST_MAX]:
        parts.append(
            Content.assemble(
                ("  ⚠ ", "bold red"),
                f"{action.due}  ",
                shown(action.title),
                (f"  ({shown(action.owner)}, {value_label(action.status)})", "dim"),
            )
        )
    parts.extend(_more(len(late), "actions"))
    soon = due_soon(plan, today, 30)
    parts.append(_h("review.soon", n=len(soon)))
    for action in soon[:LIST_MAX]:
        parts.append(Content.assemble(f"  {action.due}  ", shown(action.title), (f"  ({shown(action.owner)})", "dim")))
    parts.extend(_more(len(soon), "actions"))
    parts.append(_h("review.objectives", n=len(plan.objectives)))
    for objective in plan.objectives:
        parts.append(
            Content.assemble(
                "  ",
                Content.from_rich_text(bar(objective_progress(plan, objective), status=objective.status)),
                "  ",
                shown(objective.title),
                (f"  [{value_label(objective.status)}]", "dim"),
            )
        )
    people = key_people(plan, 6)
    parts.append(_h("review.people", n=len(people)))
    for person in people:
        days = days_since(person.last_contact, today)
        late_contact = needs_contact(person, today, config.contact_days)
        parts.append(
            Content.assemble(
                f"  {shown(person.name)} — {shown(person.title)}  ",
                (f"{value_label(person.attitude)}, {'★' * person.influence}  ", "dim"),
                (
                    t("review.days", n="—" if days is None else days)
                    + ("  ⚠ " + t("relationships.no_contact") if late_contact else ""),
                    "bold red" if late_contact else "",
                ),
            )
        )
    stale = stale_answers(plan, bank, today, config.stale_days)
    parts.append(_h("review.stale", n=len(stale)))
    for q, entry in stale:
        parts.append(Content.assemble("  ", shown(q.text(plan.lang)), (f"  ({entry.updated})", "dim")))
    return Content("\n").join(parts)


SECTION = ReviewSection
